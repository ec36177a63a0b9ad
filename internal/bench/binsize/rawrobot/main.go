// Command rawrobot creates a robot through the generated robot package
// alone, without gen/client's all-tags HarborAPI (binary size probe).
package main

import (
	"context"
	"fmt"
	"net/url"
	"os"

	rtclient "github.com/go-openapi/runtime/client"
	"github.com/go-openapi/strfmt"

	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

func main() {
	u, err := url.Parse(os.Getenv("HARBOR_URL"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rt := rtclient.New(u.Host, u.Path+"/api/v2.0", []string{u.Scheme})
	api := robot.New(rt, strfmt.Default, rtclient.BasicAuth(os.Getenv("HARBOR_USERNAME"), os.Getenv("HARBOR_PASSWORD")))
	rc := &models.RobotCreate{Name: "ci", Level: "system", Duration: 30, Permissions: []*models.RobotPermission{{
		Kind: "system", Namespace: "/", Access: []*models.Access{{Resource: "repository", Action: "pull"}},
	}}}
	res, err := api.CreateRobot(context.Background(), robot.NewCreateRobotParams().WithRobot(rc))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(res.Payload.Name, res.Payload.Secret)
}
