// Command models creates a robot with net/http and encoding/json, using the
// generated models for the request and the answer (binary size probe: the
// floor of anything that exposes gen/models, which import go-openapi/validate).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"

	"github.com/harborkit/harbor-sdk-go/gen/models"
)

func main() {
	rc := &models.RobotCreate{Name: "ci", Level: "system", Duration: 30, Permissions: []*models.RobotPermission{{
		Kind: "system", Namespace: "/", Access: []*models.Access{{Resource: "repository", Action: "pull"}},
	}}}
	body, _ := json.Marshal(rc)
	req, err := http.NewRequest(http.MethodPost, os.Getenv("HARBOR_URL")+"/api/v2.0/robots", bytes.NewReader(body))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	req.SetBasicAuth(os.Getenv("HARBOR_USERNAME"), os.Getenv("HARBOR_PASSWORD"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		fmt.Fprintln(os.Stderr, resp.Status)
		os.Exit(1)
	}
	var r models.RobotCreated
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(r.Name, r.Secret)
}
