package harbortest_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// uiClient is a browser: it keeps cookies and sends the last CSRF token on
// writes, as Harbor's UI does.
type uiClient struct {
	t     *testing.T
	srv   *harbortest.Server
	hc    *http.Client
	token string
}

func newUIClient(t *testing.T, srv *harbortest.Server) *uiClient {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &uiClient{t: t, srv: srv, hc: &http.Client{Jar: jar}}
}

func (c *uiClient) do(method, path, contentType, body string, token bool) *http.Response {
	req, err := http.NewRequest(method, c.srv.URL+path, strings.NewReader(body))
	require.NoError(c.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token {
		req.Header.Set("X-Harbor-Csrf-Token", c.token)
	}
	resp, err := c.hc.Do(req)
	require.NoError(c.t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if t := resp.Header.Get("X-Harbor-Csrf-Token"); t != "" {
		c.token = t
	}
	return resp
}

func (c *uiClient) login(user, password string) *http.Response {
	form := url.Values{"principal": {user}, "password": {password}}.Encode()
	return c.do("POST", "/c/login", "application/x-www-form-urlencoded", form, true)
}

func cookieSet(resp *http.Response, name string) bool {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return true
		}
	}
	return false
}

// The flow of harbor-captures/session, s002-s015: the CSRF step, a wrong
// password, the login, reads and writes with the session, a robot refused,
// logout. Each password verification is counted; the session costs none.
func TestSessionFlowAsCaptured(t *testing.T) {
	srv := harbortest.New(t)
	_, botSecret := createRobot(t, srv, sysRobot)
	botName := "robot$ci"
	ui := newUIClient(t, srv)

	resp := ui.do("POST", "/c/login", "application/x-www-form-urlencoded", "principal=admin&password=Harbor12345", false)
	assert.Equal(t, 403, resp.StatusCode, "s002: no CSRF token")
	assert.True(t, cookieSet(resp, "_gorilla_csrf"))
	assert.Len(t, ui.token, 88)
	assert.Equal(t, int64(1), srv.PasswordChecks(), "creating the robot; /c/login refused before the password is looked at")

	assert.Equal(t, 401, ui.login("admin", "wrong").StatusCode, "s003")
	assert.Equal(t, int64(2), srv.PasswordChecks())
	resp = ui.login("admin", srv.AdminPassword)
	assert.Equal(t, 200, resp.StatusCode, "s004")
	assert.True(t, cookieSet(resp, "sid"))
	assert.Equal(t, int64(3), srv.PasswordChecks())

	assert.Equal(t, 200, ui.do("GET", "/api/v2.0/users/current", "", "", false).StatusCode, "s005")
	project := `{"project_name":"sess-rec-1"}`
	assert.Equal(t, 403, ui.do("POST", "/api/v2.0/projects", "application/json", project, false).StatusCode, "s006")
	assert.Equal(t, 201, ui.do("POST", "/api/v2.0/projects", "application/json", project, true).StatusCode, "s007")
	assert.Equal(t, 200, ui.do("DELETE", "/api/v2.0/projects/sess-rec-1", "", "", true).StatusCode, "s009")
	assert.Equal(t, int64(3), srv.PasswordChecks(), "the session costs no password check")

	assert.Equal(t, 401, ui.login(botName, botSecret).StatusCode, "s013: robots cannot log in")

	resp = ui.do("GET", "/c/log_out", "", "", false)
	assert.Equal(t, 200, resp.StatusCode, "s014")
	resp = ui.do("GET", "/api/v2.0/users/current", "", "", false)
	assert.Equal(t, 401, resp.StatusCode, "s015: the logged-out sid")
	assert.True(t, cookieSet(resp, "sid"), "a new sid for one it does not know")
}

// s011, s012: an unknown sid is anonymous: 401 on a protected read, and on
// a public read 200 with public data only, and a new sid either way (the
// sign a client can read).
func TestSessionUnknownSidIsAnonymous(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("private", false)
	for path, want := range map[string]int{"/api/v2.0/users/current": 401, "/api/v2.0/projects": 200} {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.AddCookie(&http.Cookie{Name: "sid", Value: "0123456789abcdef0123456789abcdef"})
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, path)
		assert.True(t, cookieSet(resp, "sid"), path)
		assert.NotContains(t, string(body), "private")
	}
}

// s016-s020: with session_timeout at 1 minute, a session used every 35 s
// lives on (sliding), and one idle for 75 s is gone, by the server's clock.
func TestSessionTimeoutSlidesAndExpires(t *testing.T) {
	start, elapsed := time.Date(2026, 12, 7, 11, 0, 0, 0, time.UTC), atomic.Int64{}
	srv := harbortest.NewServer(harbortest.WithClock(func() time.Time { return start.Add(time.Duration(elapsed.Load())) }))
	defer srv.Close()
	req, _ := http.NewRequest("PUT", srv.URL+"/api/v2.0/configurations", strings.NewReader(`{"session_timeout":1}`))
	req.SetBasicAuth(srv.AdminUsername, srv.AdminPassword)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)

	ui := newUIClient(t, srv)
	ui.do("POST", "/c/login", "", "", false)
	require.Equal(t, 200, ui.login("admin", srv.AdminPassword).StatusCode)
	for range 4 {
		elapsed.Add(int64(35 * time.Second))
		require.Equal(t, 200, ui.do("GET", "/api/v2.0/users/current", "", "", false).StatusCode, "s019")
	}
	elapsed.Add(int64(75 * time.Second))
	resp = ui.do("GET", "/api/v2.0/users/current", "", "", false)
	assert.Equal(t, 401, resp.StatusCode, "s020")
	assert.True(t, cookieSet(resp, "sid"))
}

// A password is verified once per request (the adapter and the handler
// both ask who the caller is), for users that exist; robots' secrets and
// sessions are not password checks.
func TestPasswordChecksCounted(t *testing.T) {
	srv := harbortest.New(t)
	_, botSecret := createRobot(t, srv, sysRobot)
	botName := "robot$ci"
	send := func(method, user, password, body string) int {
		req, _ := http.NewRequest(method, srv.URL+"/api/v2.0/projects", strings.NewReader(body))
		req.SetBasicAuth(user, password)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, int64(1), srv.PasswordChecks(), "creating the robot")
	assert.Equal(t, 200, send("GET", "admin", srv.AdminPassword, ""))
	assert.Equal(t, int64(2), srv.PasswordChecks())
	assert.Equal(t, 201, send("POST", "admin", srv.AdminPassword, `{"project_name":"a"}`))
	assert.Equal(t, int64(3), srv.PasswordChecks(), "a write is one check")
	assert.Equal(t, 200, send("GET", "admin", "wrong", ""))
	assert.Equal(t, int64(4), srv.PasswordChecks(), "a wrong password is hashed too")
	assert.Equal(t, 201, send("POST", botName, botSecret, `{"project_name":"b"}`))
	assert.Equal(t, 200, send("GET", "nobody", "x", ""))
	assert.Equal(t, int64(4), srv.PasswordChecks(), "robots and unknown users are not password checks")
}

// The recorded session flow (testdata/harbor-captures/session, Harbor
// v2.15.2) replayed in order against harbortest: each request as recorded,
// its cookies and token replaced by those harbortest handed out at the same
// step; each answer has the recorded status, sets the same cookies and
// carries a CSRF token where Harbor's did. The clock stands in for the
// recording's waits (s019: used every 35 s; s020: idle 75 s).
func TestSessionCapturesReplayed(t *testing.T) {
	start, elapsed := time.Now(), atomic.Int64{}
	srv := harbortest.NewServer(harbortest.WithClock(func() time.Time { return start.Add(time.Duration(elapsed.Load())) }))
	defer srv.Close()
	dir := "../testdata/harbor-captures/session"
	files, err := filepath.Glob(filepath.Join(dir, "s0*.txt"))
	require.NoError(t, err)
	require.Len(t, files, 21)
	live := map[string]string{} // a recorded cookie or token -> harbortest's
	learn := func(recorded []string, got []string) {
		for i := range min(len(recorded), len(got)) {
			live[recorded[i]] = got[i]
		}
	}
	values := func(h map[string][]string, name string) (cookies map[string][]string, token []string) {
		cookies = map[string][]string{}
		for _, c := range h["Set-Cookie"] {
			n, v, _ := strings.Cut(strings.Split(c, ";")[0], "=")
			cookies[n] = append(cookies[n], v)
		}
		return cookies, h[name]
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		exs, err := parseCapture(file)
		require.NoError(t, err)
		ex := exs[0]
		send := func() (*http.Response, string) {
			req, _ := http.NewRequest(ex.Method, srv.URL+ex.Path, strings.NewReader(ex.ReqBody))
			for k, v := range ex.ReqHeader {
				for rec, ours := range live {
					v = strings.ReplaceAll(v, rec, ours)
				}
				req.Header.Set(k, v)
			}
			if ex.AuthPass != "" { // "basic user:password"; "session ..." has none
				req.SetBasicAuth(ex.AuthUser, ex.AuthPass)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return resp, string(body)
		}
		switch name {
		case "s019_session_after_140s_active_every_35s":
			for range 3 {
				elapsed.Add(int64(35 * time.Second))
				resp, _ := send()
				require.Equal(t, 200, resp.StatusCode)
			}
			elapsed.Add(int64(35 * time.Second))
		case "s020_session_after_75s_idle_timeout_1min":
			elapsed.Add(int64(75 * time.Second))
		}
		resp, body := send()
		assert.Equal(t, ex.Status, resp.StatusCode, "%s: %.200s", name, body)
		wantCookies, wantToken := values(ex.RespHeader, "X-Harbor-Csrf-Token")
		gotCookies, gotToken := values(resp.Header, "X-Harbor-Csrf-Token")
		for _, c := range []string{"sid", "_gorilla_csrf"} {
			assert.Equal(t, len(wantCookies[c]), len(gotCookies[c]), "%s: Set-Cookie %s", name, c)
			learn(wantCookies[c], gotCookies[c])
		}
		assert.Equal(t, len(wantToken), len(gotToken), "%s: X-Harbor-Csrf-Token", name)
		learn(wantToken, gotToken)
	}
}
