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
