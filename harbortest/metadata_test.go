package harbortest_test

import (
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func TestProjectMetadata(t *testing.T) {
	srv := harbortest.NewServer()
	defer srv.Close()
	srv.AddProject("capart1", true)
	srv.AddUser("guest", "Guest12345", false)
	srv.AddProjectMember("capart1", "guest", harbortest.RoleGuest)
	srv.AddUser("maint", "Maint12345", false)
	srv.AddProjectMember("capart1", "maint", harbortest.RoleMaintainer)
	const md = "/api/v2.0/projects/capart1/metadatas/"
	runSteps(t, srv, []apiStep{
		{name: "b074", method: "GET", path: md, user: "admin", status: ok, want: []string{`{"public":"true"}`}},
		{name: "without the slash", method: "GET", path: "/api/v2.0/projects/capart1/metadatas", user: "admin", status: ok},
		{name: "b075 one pair only", method: "POST", path: md, user: "admin", body: `{"auto_scan":"true","severity":"high"}`,
			status: 400, want: []string{errBody("BAD_REQUEST", "only allow one key/value pair")}},
		{name: "b076", method: "POST", path: md, user: "admin", body: `{"foo":"bar"}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "invalid key: foo")}},
		{name: "b077", method: "POST", path: md, user: "admin", body: `{"prevent_vul":"maybe"}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "invalid value: maybe")}},
		{name: "b078 add", method: "POST", path: md, user: "admin", body: `{"auto_scan":"false"}`, status: ok},
		{name: "b078 existing key is 200", method: "POST", path: md, user: "admin", body: `{"auto_scan":"true"}`, status: ok},
		{name: "b079", method: "GET", path: md + "auto_scan", user: "admin", status: ok, want: []string{`{"auto_scan":"true"}`}},
		{name: "b080 unset is {}", method: "GET", path: md + "prevent_vul", user: "admin", status: ok, want: []string{`{}`}},
		{name: "b082 other key", method: "PUT", path: md + "auto_scan", user: "admin", body: `{"severity":"low"}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "invalid value: ")}},
		{name: "b081", method: "PUT", path: md + "auto_scan", user: "admin", body: `{"auto_scan":"false"}`, status: ok},
		{name: "b085 delete unset", method: "DELETE", path: md + "severity", user: "admin", status: ok},
		{name: "a guest has no metadata access", method: "GET", path: md, user: "guest", password: "Guest12345", status: 403},
		{name: "a maintainer writes", method: "POST", path: md, user: "maint", password: "Maint12345", body: `{"severity":"low"}`, status: ok},
		{name: "a maintainer reads", method: "GET", path: md + "severity", user: "maint", password: "Maint12345", status: ok,
			want: []string{`{"severity":"low"}`}},
		{name: "no role may list", method: "GET", path: md, user: "maint", password: "Maint12345", status: 403},
		{name: "retention_id is not set here", method: "POST", path: md, user: "admin", body: `{"retention_id":"1"}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "invalid key: retention_id")}},
		{name: "public project readable anonymously", method: "GET", path: "/api/v2.0/projects/capart1", status: ok},
		{name: "b086 delete public", method: "DELETE", path: md + "public", user: "admin", status: ok},
		{name: "b111 no public key", method: "GET", path: "/api/v2.0/projects/capart1", user: "admin", status: ok,
			want: []string{`"metadata":{"auto_scan":"false","severity":"low"}`}},
		{name: "now private", method: "GET", path: "/api/v2.0/projects/capart1", status: 401},
		{name: "b112 public back", method: "POST", path: md, user: "admin", body: `{"public":"true"}`, status: ok},
		{name: "public again", method: "GET", path: "/api/v2.0/projects/capart1", status: ok},
	})
}

func TestProjectCreationMetadata(t *testing.T) {
	srv := harbortest.NewServer()
	defer srv.Close()
	runSteps(t, srv, []apiStep{
		{method: "POST", path: "/api/v2.0/projects", user: "admin",
			body: `{"project_name":"p1","metadata":{"public":"true","auto_scan":"false"}}`, status: created},
		{name: "kept metadata", method: "GET", path: "/api/v2.0/projects/p1/metadatas/", user: "admin", status: ok,
			want: []string{`{"auto_scan":"false","public":"true"}`}},
		{name: "quota made with the project", method: "GET", path: "/api/v2.0/quotas?reference=project", user: "admin", status: ok,
			want: []string{`"name":"p1"`}},
		{method: "DELETE", path: "/api/v2.0/projects/p1", user: "admin", status: ok},
		{name: "quota gone", method: "GET", path: "/api/v2.0/quotas", user: "admin", status: ok, wantNot: []string{`"name":"p1"`}},
	})
}
