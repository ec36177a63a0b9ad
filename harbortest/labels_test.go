package harbortest_test

import (
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func TestLabels(t *testing.T) {
	srv := harbortest.NewServer()
	defer srv.Close()
	pid := itoa(srv.AddProject("capart1", false))
	_, secret := createRobot(t, srv, `{"name":"nopull","level":"project","duration":-1,"permissions":[{"kind":"project","namespace":"capart1","access":[{"resource":"repository","action":"list"}]}]}`)
	runSteps(t, srv, []apiStep{
		{name: "create global", method: "POST", path: "/api/v2.0/labels", user: "admin",
			body: `{"name":"cap-global","description":"global label","color":"#48960C","scope":"g"}`, status: created,
			header: map[string]string{"Location": "/api/v2.0/labels/1"}},
		{name: "create project", method: "POST", path: "/api/v2.0/labels", user: "admin",
			body: `{"name":"cap-proj","scope":"p","project_id":` + pid + `}`, status: created},
		{name: "b089", method: "GET", path: "/api/v2.0/labels?scope=g", user: "admin", status: ok,
			want:   []string{`"color":"#48960C"`, `"description":"global label","id":1,"name":"cap-global","scope":"g"`},
			header: map[string]string{"X-Total-Count": "1"}},
		{name: "b090", method: "GET", path: "/api/v2.0/labels?scope=p&project_id=" + pid, user: "admin", status: ok,
			want: []string{`"name":"cap-proj","project_id":` + pid + `,"scope":"p"`}},
		{name: "b091", method: "GET", path: "/api/v2.0/labels", user: "admin", status: 400, want: []string{errBody("BAD_REQUEST", "invalid scope: ")}},
		{name: "b092", method: "GET", path: "/api/v2.0/labels?scope=p", user: "admin", status: 400,
			want: []string{errBody("BAD_REQUEST", "must with project ID when to query project labels")}},
		{name: "b093 name is fuzzy", method: "GET", path: "/api/v2.0/labels?scope=g&name=cap", user: "admin", status: ok,
			header: map[string]string{"X-Total-Count": "1"}},
		{name: "b094 q", method: "GET", path: "/api/v2.0/labels?scope=g&q=name%3D~nothing", user: "admin", status: ok,
			want: []string{"[]"}},
		{name: "b095", method: "GET", path: "/api/v2.0/labels?scope=g&page_size=101", user: "admin", status: 422},
		{name: "b097", method: "GET", path: "/api/v2.0/labels/999999", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "label 999999 not found")}},
		{name: "b098", method: "POST", path: "/api/v2.0/labels", user: "admin", body: `{"name":"cap-global","scope":"g"}`,
			status: 409, want: []string{errBody("CONFLICT", "label cap-global already exists")}},
		{name: "b100", method: "POST", path: "/api/v2.0/labels", user: "admin", body: `{"name":"x","scope":"x"}`,
			status: 400, want: []string{errBody("BAD_REQUEST", "unsupported label scope")}},
		{name: "b101 empty name accepted", method: "POST", path: "/api/v2.0/labels", user: "admin", body: `{"name":"","scope":"g"}`, status: created},
		{name: "b464 empty fields omitted", method: "GET", path: "/api/v2.0/labels/3", user: "admin", status: ok,
			want: []string{`"id":3,"scope":"g"`}, wantNot: []string{`"name"`, `"color"`}},
		{name: "b102 same name other scope", method: "POST", path: "/api/v2.0/labels", user: "admin",
			body: `{"name":"cap-global","scope":"p","project_id":` + pid + `}`, status: created},
		{name: "b105 rename conflict", method: "PUT", path: "/api/v2.0/labels/3", user: "admin", body: `{"name":"cap-global","scope":"g"}`,
			status: 409},
		{name: "b104", method: "PUT", path: "/api/v2.0/labels/3", user: "admin", body: `{"name":"renamed","color":"#FFDC0B","scope":"g"}`, status: ok},
		{name: "b106", method: "GET", path: "/api/v2.0/labels/3", user: "admin", status: ok, want: []string{`"color":"#FFDC0B"`, `"name":"renamed"`}},
		{name: "b107 robot without label access", method: "POST", path: "/api/v2.0/labels", user: "robot$capart1+nopull", password: secret,
			body: `{"name":"r","scope":"p","project_id":` + pid + `}`, status: 403, want: []string{errBody("FORBIDDEN", "forbidden")}},
		{name: "b108", method: "POST", path: "/api/v2.0/labels", body: `{"name":"a","scope":"g"}`, status: 401,
			want: []string{errBody("UNAUTHORIZED", "unauthorized")}},
		{name: "b109", method: "DELETE", path: "/api/v2.0/labels/3", user: "admin", status: ok},
		{name: "b110", method: "DELETE", path: "/api/v2.0/labels/3", user: "admin", status: 404, want: []string{errBody("NOT_FOUND", "label 3 not found")}},
		{name: "project delete drops its labels", method: "DELETE", path: "/api/v2.0/projects/capart1", user: "admin", status: ok},
		{name: "label 2 gone", method: "GET", path: "/api/v2.0/labels/2", user: "admin", status: 404},
	})
}
