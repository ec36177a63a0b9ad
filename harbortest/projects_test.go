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
