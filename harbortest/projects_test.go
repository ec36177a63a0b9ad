package harbortest_test

import (
	"net/http"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

// TestUpdateProjectAndDeletable covers PUT /projects/{p} (metadata merged
// key by key, CVE allowlist replaced, b345-b348) and _deletable (p173).
func TestUpdateProjectAndDeletable(t *testing.T) {
	srv := harbortest.New(t)
	st, _, b := call(t, srv, "POST", "/api/v2.0/projects", "admin", "Harbor12345",
		`{"project_name":"upd","metadata":{"public":"false","auto_scan":"true"}}`)
	require.Equal(t, http.StatusCreated, st, b)
	st, _, b = call(t, srv, "PUT", "/api/v2.0/projects/upd", "admin", "Harbor12345",
		`{"metadata":{"public":"true","severity":"high"},"cve_allowlist":{"items":[{"cve_id":"CVE-2023-0001"}],"expires_at":1893456000}}`)
	require.Equal(t, http.StatusOK, st, b)
	_, _, b = call(t, srv, "GET", "/api/v2.0/projects/upd", "admin", "Harbor12345", "")
	require.Contains(t, b, `"metadata":{"auto_scan":"true","public":"true","severity":"high"}`)
	require.Contains(t, b, `"expires_at":1893456000`)
	require.Contains(t, b, `"items":[{"cve_id":"CVE-2023-0001"}]`)

	st, _, b = call(t, srv, "PUT", "/api/v2.0/projects/upd", "admin", "Harbor12345", `{"metadata":{"public":"maybe"}}`)
	require.Equal(t, http.StatusBadRequest, st, b)
	st, _, b = call(t, srv, "PUT", "/api/v2.0/projects/999999", "admin", "Harbor12345", `{"metadata":{"public":"true"}}`)
	require.Equal(t, http.StatusNotFound, st)
	require.JSONEq(t, `{"errors":[{"code":"NOT_FOUND","message":"project 999999 not found"}]}`, b)
	srv.AddUser("frank", "Frank12345", false)
	st, _, _ = call(t, srv, "PUT", "/api/v2.0/projects/upd", "frank", "Frank12345", `{"metadata":{"public":"false"}}`)
	require.Equal(t, http.StatusForbidden, st)

	_, _, b = call(t, srv, "GET", "/api/v2.0/projects/upd/_deletable", "admin", "Harbor12345", "")
	require.JSONEq(t, `{"deletable":true}`, b)
	srv.AddRepository("upd", "app")
	_, _, b = call(t, srv, "GET", "/api/v2.0/projects/upd/_deletable", "admin", "Harbor12345", "")
	require.JSONEq(t, `{"message":"the project contains repositories, can not be deleted"}`, b)
	st, _, b = call(t, srv, "DELETE", "/api/v2.0/projects/upd", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusPreconditionFailed, st)
	require.JSONEq(t, `{"errors":[{"code":"PRECONDITION","message":"precondition failed: the project contains repositories, can not be deleted"}]}`, b)
}

// TestListProjectsUnfilteredPages: an admin's unfiltered listing (paged
// straight from the sorted names) answers every page exactly like the
// filtering path does with a q that keeps every project, including after a
// deletion and for pages past the end.
func TestListProjectsUnfilteredPages(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProjects(25)
	srv.AddProject("zz-private", false)
	st, _, b := call(t, srv, "DELETE", "/api/v2.0/projects/1", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st, b)
	for _, page := range []string{"page=1&page_size=10", "page=3&page_size=10", "page=4&page_size=10", "page=2&page_size=7", "page_size=0"} {
		st, h, plain := call(t, srv, "GET", "/api/v2.0/projects?"+page, "admin", "Harbor12345", "")
		require.Equal(t, http.StatusOK, st, plain)
		st, hq, filtered := call(t, srv, "GET", "/api/v2.0/projects?"+page+"&q=project_id%3D%5B0~%5D", "admin", "Harbor12345", "")
		require.Equal(t, http.StatusOK, st, filtered)
		require.Equal(t, filtered, plain, page)
		require.Equal(t, hq.Get("X-Total-Count"), h.Get("X-Total-Count"), page)
		require.Equal(t, "26", h.Get("X-Total-Count"), page)
	}
}

func TestQuotas(t *testing.T) {
	srv := harbortest.New(t)
	id := itoa(srv.AddProject("capart2", true))
	_, secret := projectRobot(t, srv, "puller", "capart2", "pull")
	q := "/api/v2.0/quotas/" + id
	runSteps(t, srv, []apiStep{
		{name: "b210 newest first", method: "GET", path: "/api/v2.0/quotas?page_size=1", user: "admin", status: ok,
			want:   []string{`"ref":{"id":` + id + `,"name":"capart2","owner_name":""}`, `"hard":{"storage":-1}`, `"used":{"storage":0}`},
			header: map[string]string{"X-Total-Count": "2", "Link": `</api/v2.0/quotas?page=2&page_size=1>; rel="next"`}},
		{name: "b211", method: "GET", path: "/api/v2.0/quotas?reference=project&reference_id=" + id, user: "admin", status: ok,
			header: map[string]string{"X-Total-Count": "1"}},
		{name: "sort by id", method: "GET", path: "/api/v2.0/quotas?sort=id&page_size=1", user: "admin", status: ok,
			want: []string{`"name":"library"`}},
		{name: "b214", method: "GET", path: "/api/v2.0/quotas/999999", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "quota 999999 not found")}},
		{name: "b215", method: "PUT", path: q, user: "admin", body: `{"hard":{"storage":2147483648}}`, status: ok},
		{name: "summary shows it", method: "GET", path: "/api/v2.0/projects/capart2/summary", user: "admin", status: ok,
			want: []string{`"hard":{"storage":2147483648}`}},
		{name: "b221 update_time stays zero in GET", method: "GET", path: q, user: "admin", status: ok,
			want: []string{`"hard":{"storage":2147483648}`, `"update_time":"0001-01-01T00:00:00.000Z"`}},
		{name: "b217", method: "PUT", path: q, user: "admin", body: `{"hard":{"count":10}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "resource count not support")}},
		{name: "several bad keys: the first by name", method: "PUT", path: q, user: "admin",
			body: `{"hard":{"storage":-5,"zz":1,"yy":1,"xx":1,"tags":1,"count":10}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "resource count not support")}},
		{name: "b218", method: "PUT", path: q, user: "admin", body: `{"hard":{"storage":-5}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "invalid non-positive value for quota limit, value=-5")}},
		{name: "b220", method: "PUT", path: q, user: "admin", body: `{"hard":{}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "hard required in body")}},
		{name: "b219", method: "PUT", path: q, user: "admin", body: `{"hard":{"storage":-1}}`, status: ok},
		{name: "b222", method: "GET", path: "/api/v2.0/quotas", user: "robot$capart2+puller", password: secret, status: 403,
			want: []string{errBody("FORBIDDEN", "robot$capart2+puller")}},
		{name: "b223", method: "GET", path: "/api/v2.0/quotas", status: 401},
	})
}

func TestSystemCVEAllowlist(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("capart1", false)
	_, secret := projectRobot(t, srv, "puller", "capart1", "pull")
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

func TestProjectMetadata(t *testing.T) {
	srv := harbortest.New(t)
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
	srv := harbortest.New(t)
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
