package harbortest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

// call sends one request with optional basic auth and returns status, headers and body.
func call(t *testing.T, srv *harbortest.Server, method, path, user, pass, body string) (int, http.Header, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

// createRobot creates a robot as admin and returns its id and secret.
func createRobot(t *testing.T, srv *harbortest.Server, body string) (int64, string) {
	t.Helper()
	st, _, b := call(t, srv, "POST", "/api/v2.0/robots", "admin", "Harbor12345", body)
	require.Equal(t, http.StatusCreated, st, b)
	var out struct {
		ID     int64  `json:"id"`
		Secret string `json:"secret"`
	}
	require.NoError(t, json.Unmarshal([]byte(b), &out))
	return out.ID, out.Secret
}

const sysRobot = `{"name":"ci","level":"system","duration":30,"permissions":[{"kind":"system","namespace":"/","access":[{"resource":"project","action":"create"}]}]}`

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

// assertPanicsNaming checks that call panics at the call site with a
// message of harbortest's that contains want (the bad argument).
func assertPanicsNaming(t *testing.T, call func(), want string) {
	t.Helper()
	msg := func() (msg string) {
		defer func() { msg = fmt.Sprint(recover()) }()
		call()
		return "no panic"
	}()
	if !strings.HasPrefix(msg, "harbortest: ") || !strings.Contains(msg, want) {
		t.Fatalf("panic %q, want one containing %q", msg, want)
	}
}
