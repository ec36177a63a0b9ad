package harbortest_test

import (
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func TestSystemCVEAllowlist(t *testing.T) {
	srv := harbortest.NewServer()
	defer srv.Close()
	srv.AddProject("capart1", false)
	_, secret := createRobot(t, srv, `{"name":"puller","level":"project","duration":-1,"permissions":[{"kind":"project","namespace":"capart1","access":[{"resource":"repository","action":"pull"}]}]}`)
	const al = "/api/v2.0/system/CVEAllowlist"
	runSteps(t, srv, []apiStep{
		{name: "b338 never set", method: "GET", path: al, user: "admin", status: ok,
			want: []string{`{"creation_time":"0001-01-01T00:00:00.000Z","items":[],"update_time":"0001-01-01T00:00:00.000Z"}`}},
		{name: "b339", method: "PUT", path: al, user: "admin", body: `{"items":[{"cve_id":"CVE-2021-44228"},{"cve_id":"CVE-2022-22965"}],"expires_at":1893456000}`, status: ok},
		{name: "b340", method: "GET", path: al, user: "admin", status: ok,
			want: []string{`"expires_at":1893456000,"id":`, `"items":[{"cve_id":"CVE-2021-44228"},{"cve_id":"CVE-2022-22965"}]`}},
		{name: "b341 any id", method: "PUT", path: al, user: "admin", body: `{"items":[{"cve_id":"not-a-cve"}]}`, status: ok},
		{name: "b342 duplicates", method: "PUT", path: al, user: "admin", body: `{"items":[{"cve_id":"A"},{"cve_id":"A"}]}`, status: 500},
		{name: "b343 robots may read", method: "GET", path: al, user: "robot$capart1+puller", password: secret, status: ok,
			want: []string{`"items":[{"cve_id":"not-a-cve"}]`}, wantNot: []string{"expires_at"}},
		{name: "robots may not write", method: "PUT", path: al, user: "robot$capart1+puller", password: secret, body: `{"items":[]}`, status: 403},
		{name: "b344", method: "GET", path: al, status: 401},
		{name: "b349", method: "PUT", path: al, user: "admin", body: `{"items":[]}`, status: ok},
		{name: "project allowlist starts empty", method: "GET", path: "/api/v2.0/projects/capart1", user: "admin", status: ok,
			want: []string{`"cve_allowlist":{"creation_time":"0001-01-01T00:00:00.000Z","id":`, `"items":[],"project_id":`}},
		{name: "b345", method: "PUT", path: "/api/v2.0/projects/capart1", user: "admin",
			body: `{"cve_allowlist":{"items":[{"cve_id":"CVE-2023-0001"}],"expires_at":1893456000},"metadata":{"reuse_sys_cve_allowlist":"false"}}`, status: ok},
		{name: "b346 times stay zero", method: "GET", path: "/api/v2.0/projects/capart1", user: "admin", status: ok,
			want: []string{`"cve_allowlist":{"creation_time":"0001-01-01T00:00:00.000Z","expires_at":1893456000,"id":`,
				`"items":[{"cve_id":"CVE-2023-0001"}],"project_id":`, `"reuse_sys_cve_allowlist":"false"`}},
		{name: "b348 metadata alone keeps the allowlist", method: "PUT", path: "/api/v2.0/projects/capart1", user: "admin",
			body: `{"metadata":{"reuse_sys_cve_allowlist":"true"}}`, status: ok},
		{name: "b521", method: "GET", path: "/api/v2.0/projects/capart1/metadatas/", user: "admin", status: ok,
			want: []string{`{"public":"false","reuse_sys_cve_allowlist":"true"}`}},
		{method: "GET", path: "/api/v2.0/projects/capart1", user: "admin", status: ok, want: []string{`"items":[{"cve_id":"CVE-2023-0001"}]`}},
	})
}
