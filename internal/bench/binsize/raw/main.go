// Command raw creates a robot through the raw generated client (binary size probe).
package main

import (
	"context"
	"fmt"
	"net/url"
	"os"

	rtclient "github.com/go-openapi/runtime/client"

	"github.com/harborkit/harbor-sdk-go/gen/client"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

func main() {
	u, err := url.Parse(os.Getenv("HARBOR_URL") + "/api/v2.0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	api := client.New(client.Config{URL: u, AuthInfo: rtclient.BasicAuth(os.Getenv("HARBOR_USERNAME"), os.Getenv("HARBOR_PASSWORD"))})
	rc := &models.RobotCreate{Name: "ci", Level: "system", Duration: 30, Permissions: []*models.RobotPermission{{
		Kind: "system", Namespace: "/", Access: []*models.Access{{Resource: "repository", Action: "pull"}},
	}}}
	res, err := api.Robot.CreateRobot(context.Background(), robot.NewCreateRobotParams().WithRobot(rc))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(res.Payload.Name, res.Payload.Secret)
}
