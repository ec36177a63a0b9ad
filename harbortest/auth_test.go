package harbortest_test

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const unauthorized = `{"errors":[{"code":"UNAUTHORIZED","message":"unauthorized"}]}` + "\n"

func TestAuthAdminUserAnonymous(t *testing.T) {
	t.Parallel()
	srv := harbortest.New(t)
	srv.AddUser("alice", "Alice12345", false)
	srv.AddProject("private1", false)

	st, _, _ := call(t, srv, "GET", "/api/v2.0/users/current", "admin", "Harbor12345", "")
	assert.Equal(t, 200, st)
	st, _, body := call(t, srv, "GET", "/api/v2.0/users/current", "alice", "Alice12345", "")
	assert.Equal(t, 200, st)
	assert.Contains(t, body, `"username":"alice"`)

	// wrong password: anonymous, so 401 where a login is needed ...
	st, _, body = call(t, srv, "GET", "/api/v2.0/users/current", "admin", "wrong", "")
	assert.Equal(t, 401, st)
	assert.Equal(t, unauthorized, body)
	// ... but public reads succeed with public projects only
	st, h, _ := call(t, srv, "GET", "/api/v2.0/projects", "admin", "wrong", "")
	assert.Equal(t, 200, st)
	assert.Equal(t, "1", h.Get("X-Total-Count"))
	_, h, _ = call(t, srv, "GET", "/api/v2.0/projects", "admin", "Harbor12345", "")
	assert.Equal(t, "2", h.Get("X-Total-Count"))

	// a user may create projects but not read configurations or list users
	st, h, _ = call(t, srv, "POST", "/api/v2.0/projects", "alice", "Alice12345", `{"project_name":"alices"}`)
	assert.Equal(t, 201, st)
	assert.Regexp(t, `^/api/v2.0/projects/\d+$`, h.Get("Location"))
	st, _, body = call(t, srv, "GET", "/api/v2.0/configurations", "alice", "Alice12345", "")
	assert.Equal(t, 403, st)
	assert.Contains(t, body, `"message":"alice"`)
	st, _, _ = call(t, srv, "GET", "/api/v2.0/configurations", "", "", "")
	assert.Equal(t, 401, st)
	st, _, _ = call(t, srv, "GET", "/api/v2.0/users", "alice", "Alice12345", "")
	assert.Equal(t, 403, st)
	// her own private project is visible to her, admin's private one is not
	_, h, _ = call(t, srv, "GET", "/api/v2.0/projects", "alice", "Alice12345", "")
	assert.Equal(t, "2", h.Get("X-Total-Count"))
	st, _, _ = call(t, srv, "GET", "/api/v2.0/projects/private1", "alice", "Alice12345", "")
	assert.Equal(t, 403, st)
	st, _, _ = call(t, srv, "DELETE", "/api/v2.0/projects/private1", "", "", "")
	assert.Equal(t, 401, st)
}

func TestAuthRobotSecrets(t *testing.T) {
	t.Parallel()
	srv := harbortest.New(t)
	id, generated := createRobot(t, srv, sysRobot)
	assert.Len(t, generated, 32)

	// robots are refused /users/current with 412 but may use what they are granted
	st, _, body := call(t, srv, "GET", "/api/v2.0/users/current", "robot$ci", generated, "")
	assert.Equal(t, 412, st)
	assert.Contains(t, body, "get current user not available for security context: robot")
	st, _, _ = call(t, srv, "GET", "/api/v2.0/users/current/permissions", "robot$ci", generated, "")
	assert.Equal(t, 200, st)
	st, _, _ = call(t, srv, "POST", "/api/v2.0/projects", "robot$ci", generated, `{"project_name":"byrobot"}`)
	assert.Equal(t, 201, st)
	st, _, body = call(t, srv, "POST", "/api/v2.0/robots", "robot$ci", generated, sysRobot)
	assert.Equal(t, 403, st)
	assert.Contains(t, body, `"message":"robot$ci"`)
	st, _, body = call(t, srv, "DELETE", "/api/v2.0/projects/byrobot", "robot$ci", generated, "")
	assert.Equal(t, 403, st)
	assert.Contains(t, body, `"message":"forbidden"`)

	// a chosen secret replaces the generated one; the old one stops working
	path := fmt.Sprintf("/api/v2.0/robots/%d", id)
	st, _, body = call(t, srv, "PATCH", path, "admin", "Harbor12345", `{"secret":"short"}`)
	assert.Equal(t, 400, st)
	assert.Contains(t, body, "the secret must be 8-128")
	st, _, body = call(t, srv, "PATCH", path, "admin", "Harbor12345", `{"secret":"Chosen1234"}`)
	assert.Equal(t, 200, st)
	assert.Equal(t, "{}\n", body)
	st, _, _ = call(t, srv, "GET", "/api/v2.0/users/current/permissions", "robot$ci", generated, "")
	assert.Equal(t, 401, st)
	st, _, _ = call(t, srv, "GET", "/api/v2.0/users/current/permissions", "robot$ci", "Chosen1234", "")
	assert.Equal(t, 200, st)
	secret, ok := srv.RobotSecret(id)
	require.True(t, ok)
	assert.Equal(t, "Chosen1234", secret)

	// disabled robots are anonymous
	put := `{"name":"robot$ci","level":"system","duration":30,"disable":true,"permissions":[{"kind":"system","namespace":"/","access":[{"resource":"project","action":"create"}]}]}`
	st, _, _ = call(t, srv, "PUT", path, "admin", "Harbor12345", put)
	require.Equal(t, 200, st)
	st, _, body = call(t, srv, "POST", "/api/v2.0/projects", "robot$ci", "Chosen1234", `{"project_name":"x1"}`)
	assert.Equal(t, 401, st)
	assert.Equal(t, unauthorized, body)
	assert.True(t, srv.Robots()[0].Disabled)
}

func TestAuthRobotExpired(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	var offset atomic.Int64
	srv := harbortest.NewServer(harbortest.WithClock(func() time.Time { return now.Add(time.Duration(offset.Load())) }))
	defer srv.Close()
	_, secret := createRobot(t, srv, `{"name":"short","level":"system","duration":1,"permissions":[{"kind":"system","namespace":"/","access":[{"resource":"project","action":"create"}]}]}`)
	st, _, _ := call(t, srv, "GET", "/api/v2.0/users/current/permissions", "robot$short", secret, "")
	assert.Equal(t, 200, st)
	offset.Store(int64(49 * time.Hour))
	st, _, _ = call(t, srv, "GET", "/api/v2.0/users/current/permissions", "robot$short", secret, "")
	assert.Equal(t, 401, st)
}

func TestProjectRobot(t *testing.T) {
	t.Parallel()
	srv := harbortest.NewServer(harbortest.WithRobotNamePrefix("bot_"))
	defer srv.Close()
	srv.AddProject("team", false)
	srv.AddRepository("team", "app")
	_, secret := createRobot(t, srv, `{"name":"reader","level":"project","duration":-1,"permissions":[{"kind":"project","namespace":"team","access":[{"resource":"repository","action":"list"},{"resource":"repository","action":"pull"}]}]}`)
	assert.Equal(t, "bot_team+reader", srv.Robots()[0].Name)
	st, h, body := call(t, srv, "GET", "/api/v2.0/projects/team/repositories", "bot_team+reader", secret, "")
	assert.Equal(t, 200, st, body)
	assert.Equal(t, "1", h.Get("X-Total-Count"))
	assert.Contains(t, body, `"name":"team/app"`)
	st, _, body = call(t, srv, "POST", "/api/v2.0/projects", "bot_team+reader", secret, `{"project_name":"nope"}`)
	assert.Equal(t, 403, st)
	assert.Contains(t, body, "Only system level robot can create project")
	_, _, body = call(t, srv, "GET", "/api/v2.0/configurations", "admin", "Harbor12345", "")
	assert.Contains(t, body, `"robot_name_prefix":{"editable":true,"value":"bot_"}`)
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	srv := harbortest.New(t)
	req, _ := http.NewRequest("GET", srv.URL+"/api/v2.0/ping", nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	var sid *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "sid" {
			sid = c
		}
	}
	require.NotNil(t, sid, "every response sets a sid cookie")
	assert.True(t, sid.HttpOnly)
	assert.NotEmpty(t, resp.Header.Get("X-Request-Id"))

	// sending the cookie back on a POST is refused even with valid basic auth;
	// a GET with the cookie is fine
	for method, want := range map[string]int{"POST": 403, "GET": 200} {
		st, _, _ := call(t, srv, method, "/api/v2.0/projects", "admin", "Harbor12345", "", "Cookie", sid.Name+"="+sid.Value)
		assert.Equal(t, want, st, method)
	}

	// the request id is echoed
	_, h, _ := call(t, srv, "GET", "/api/v2.0/ping", "", "", "", "X-Request-Id", "my-id")
	assert.Equal(t, "my-id", h.Get("X-Request-Id"))
}

func TestCSRFMessage(t *testing.T) {
	t.Parallel()
	srv := harbortest.New(t)
	req, _ := http.NewRequest("DELETE", srv.URL+"/api/v2.0/robots/1", nil)
	req.SetBasicAuth("admin", "Harbor12345")
	req.AddCookie(&http.Cookie{Name: "sid", Value: "anything"})
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var b [200]byte
	n, _ := resp.Body.Read(b[:])
	assert.Equal(t, 403, resp.StatusCode)
	assert.Equal(t, `{"errors":[{"code":"FORBIDDEN","message":"CSRF token not found in request"}]}`+"\n", string(b[:n]))
}

func TestTLS(t *testing.T) {
	t.Parallel()
	srv := harbortest.NewServer(harbortest.WithTLS(), harbortest.WithAdminPassword("S3cretAdmin"))
	defer srv.Close()
	assert.Contains(t, srv.URL, "https://")
	assert.NotNil(t, srv.Certificate())
	assert.Contains(t, string(srv.CertPEM()), "BEGIN CERTIFICATE")
	st, _, _ := call(t, srv, "GET", "/api/v2.0/users/current", "admin", "S3cretAdmin", "")
	assert.Equal(t, 200, st)
}
