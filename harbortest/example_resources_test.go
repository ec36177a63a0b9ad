package harbortest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// post sends a JSON body as admin and returns the status and the body.
func post(srv *harbortest.Server, path, body string) string {
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	req.SetBasicAuth(srv.AdminUsername, srv.AdminPassword)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return strings.TrimSpace(resp.Status + " " + string(b))
}

// A registry endpoint is taken as reachable unless marked otherwise;
// harbortest never connects to it.
func ExampleServer_MarkRegistryUnreachable() {
	srv := harbortest.NewServer()
	defer srv.Close()
	srv.MarkRegistryUnreachable("https://down.example.com")

	fmt.Println(post(srv, "/api/v2.0/registries", `{"name":"up","type":"docker-registry","url":"https://up.example.com"}`))
	fmt.Println(post(srv, "/api/v2.0/registries", `{"name":"down","type":"docker-registry","url":"https://down.example.com"}`))
	// Output:
	// 201 Created
	// 400 Bad Request {"errors":[{"code":"BAD_REQUEST","message":"the registry is unhealthy"}]}
}

// Seed a member with one of the role constants; the members API shows it.
func ExampleServer_AddProjectMember() {
	srv := harbortest.NewServer()
	defer srv.Close()
	srv.AddProject("team", false)
	srv.AddUser("dev", "Dev12345", false)
	srv.AddProjectMember("team", "dev", harbortest.RoleDeveloper)

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v2.0/projects/team/members?entityname=dev", nil)
	req.SetBasicAuth(srv.AdminUsername, srv.AdminPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(strings.Contains(string(b), `"entity_name":"dev","entity_type":"u"`), strings.Contains(string(b), `"role_name":"developer"`))
	// Output:
	// true true
}
