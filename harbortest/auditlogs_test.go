package harbortest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

type extEntry struct {
	Operation   string `json:"operation"`
	Description string `json:"operation_description"`
	Result      bool   `json:"operation_result"`
	Resource    string `json:"resource"`
	Type        string `json:"resource_type"`
	Username    string `json:"username"`
}

func listExts(t *testing.T, srv *harbortest.Server, path string) []extEntry {
	t.Helper()
	st, _, body := call(t, srv, "GET", path, "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st, body)
	var out []extEntry
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	return out
}

// TestAuditLogExts checks that changes land in /auditlog-exts as Harbor
// v2.15 words them (b462), refused user and configuration updates included.
func TestAuditLogExts(t *testing.T) {
	srv := harbortest.New(t)
	st, _, b := call(t, srv, "POST", "/api/v2.0/projects", "admin", "Harbor12345", `{"project_name":"audited"}`)
	require.Equal(t, http.StatusCreated, st, b)
	st, _, b = call(t, srv, "POST", "/api/v2.0/users", "admin", "Harbor12345",
		`{"username":"carol","email":"carol@example.com","realname":"Carol","password":"Carol12345"}`)
	require.Equal(t, http.StatusCreated, st, b)
	st, _, _ = call(t, srv, "PUT", "/api/v2.0/users/999999", "admin", "Harbor12345", `{"email":"x@example.com","realname":"x"}`)
	require.Equal(t, http.StatusNotFound, st)
	st, _, _ = call(t, srv, "PUT", "/api/v2.0/configurations", "carol", "Carol12345", `{"robot_name_prefix":"x$"}`)
	require.Equal(t, http.StatusForbidden, st)
	st, _, _ = call(t, srv, "PUT", "/api/v2.0/configurations", "", "", `{"robot_name_prefix":"x$"}`)
	require.Equal(t, http.StatusUnauthorized, st) // anonymous attempts are not logged

	got := listExts(t, srv, "/api/v2.0/auditlog-exts")
	require.Equal(t, []extEntry{
		{"update", "update configuration", false, "configuration", "configuration", "carol"},
		{"update", "update user with name: 999999", false, "999999", "user", "admin"},
		{"create", "create user with name: carol", true, "carol", "user", "admin"},
		{"create", "create project: audited", true, "audited", "project", "admin"},
	}, got)

	require.Len(t, listExts(t, srv, "/api/v2.0/auditlog-exts?q=operation%3Dcreate"), 2)
	require.Equal(t, []extEntry{{"create", "create project: audited", true, "audited", "project", "admin"}},
		listExts(t, srv, "/api/v2.0/projects/audited/auditlog-exts"))
	require.Empty(t, listExts(t, srv, "/api/v2.0/projects/library/auditlog-exts"))

	// a plain user sees an empty list, not a 403, like a project robot (p157)
	st, _, b = call(t, srv, "GET", "/api/v2.0/auditlog-exts", "carol", "Carol12345", "")
	require.Equal(t, http.StatusOK, st)
	require.JSONEq(t, `[]`, b)
}
