package harbor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/client/user"
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// apiRequests is srv's request log without the UI's requests (/c/login,
// /c/log_out) a client with a user's credentials makes to log in.
func apiRequests(srv *harbortest.Server) []harbortest.RecordedRequest {
	var api []harbortest.RecordedRequest
	for _, r := range srv.Requests() {
		if !strings.HasPrefix(r.Path, "/c/") {
			api = append(api, r)
		}
	}
	return api
}

const sessionPassword = "S3ssion-Passw0rd"

// sessionHarbor is a Harbor reduced to its session rules as the captures in
// harbor-captures/session show them, with hooks harbortest has no reason to
// offer: forget every session, rotate the CSRF key, refuse logins, answer
// /c/login otherwise. Users: admin and alice (sessionPassword); a public
// project "pub" and a private one "priv".
type sessionHarbor struct {
	*httptest.Server
	hashes    atomic.Int64 // password verifications (basic auth of a user, /c/login)
	mu        sync.Mutex
	sessions  map[string]string // sid -> user
	csrfKey   string            // a _gorilla_csrf cookie is valid when it starts with it; its token is "t"+cookie
	n         int
	created   []string                                          // projects created
	both      int                                               // requests that carried basic auth and a sid
	noToken   int                                               // writes with a session but no token
	login     func(w http.ResponseWriter, r *http.Request) bool // answers /c/login instead, when it returns true
	keep      bool                                              // false: forget sessions as soon as made
	echo      bool                                              // quote the request's Cookie and token in error bodies
	elsewhere string                                            // where /api/v2.0/projects/moved redirects
}

// onlySession is the id of the one session the server holds.
func (h *sessionHarbor) onlySession(t *testing.T) string {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	require.Len(t, h.sessions, 1)
	for sid := range h.sessions {
		return sid
	}
	return ""
}

func newSessionHarbor(t *testing.T) *sessionHarbor {
	h := &sessionHarbor{sessions: map[string]string{}, csrfKey: "k1", keep: true}
	h.Server = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.Close)
	return h
}

func (h *sessionHarbor) forget() {
	h.mu.Lock()
	defer h.mu.Unlock()
	clear(h.sessions)
}

func (h *sessionHarbor) newID(prefix string) string {
	h.n++
	return fmt.Sprintf("%s%032d", prefix, h.n)
}

func (h *sessionHarbor) refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if h.echo {
		msg += " cookie=" + r.Header.Get("Cookie") + " token=" + r.Header.Get("X-Harbor-Csrf-Token")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]string{{"code": "X", "message": msg}}})
}

// csrfOK is gorilla/csrf: a token that goes with a valid cookie; else a
// 403 handing out a cookie and a token.
func (h *sessionHarbor) csrfOK(w http.ResponseWriter, r *http.Request) bool {
	c, err := r.Cookie("_gorilla_csrf")
	if err == nil && strings.HasPrefix(c.Value, h.csrfKey) && r.Header.Get("X-Harbor-Csrf-Token") == "t"+c.Value {
		w.Header().Set("X-Harbor-Csrf-Token", "t"+c.Value)
		return true
	}
	cookie := h.newID(h.csrfKey)
	http.SetCookie(w, &http.Cookie{Name: "_gorilla_csrf", Value: cookie, Path: "/", MaxAge: 43200})
	w.Header().Set("X-Harbor-Csrf-Token", "t"+cookie)
	h.refuse(w, r, 403, "CSRF token not found in request")
	return false
}

func (h *sessionHarbor) serve(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/c/") && h.login != nil && h.login(w, r) {
		return
	}
	switch r.URL.Path {
	case "/c/login":
		if !h.csrfOK(w, r) {
			return
		}
		_ = r.ParseForm()
		if h.echo { // a hostile server quoting the form
			w.Header().Set("X-Request-Id", r.PostForm.Encode())
		}
		h.hashes.Add(1)
		user := r.PostForm.Get("principal")
		if (user != "admin" && user != "alice") || r.PostForm.Get("password") != sessionPassword {
			w.WriteHeader(401)
			return
		}
		sid := h.newID("s")
		if h.keep {
			h.sessions[sid] = user
		}
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: h.newID("s"), Path: "/"}) // the store's, for a request without a sid
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: sid, Path: "/"})
		return
	case "/c/log_out":
		if c, err := r.Cookie("sid"); err == nil {
			delete(h.sessions, c.Value)
		}
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "", Path: "/", MaxAge: -1})
		return
	}
	user := ""
	u, p, basic := r.BasicAuth()
	sid, sidErr := r.Cookie("sid")
	switch {
	case basic:
		if sidErr == nil {
			h.both++
		}
		if !strings.HasPrefix(u, "robot$") && !strings.HasPrefix(u, "bot_") {
			h.hashes.Add(1)
		}
		if p == sessionPassword {
			user = u
		}
	case sidErr == nil:
		user = h.sessions[sid.Value]
		if user == "" { // the session store starts a new one
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: h.newID("s"), Path: "/"})
		}
	}
	if sidErr == nil && r.Method != http.MethodGet {
		if r.Header.Get("X-Harbor-Csrf-Token") == "" {
			h.noToken++
		}
		if !h.csrfOK(w, r) {
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.URL.Path == "/api/v2.0/projects" && r.Method == http.MethodGet:
		list := `[{"name":"pub"}]`
		if user != "" {
			list = `[{"name":"pub"},{"name":"priv"}]`
		}
		_, _ = w.Write([]byte(list))
	case user == "":
		h.refuse(w, r, 401, "unauthorized")
	case r.URL.Path == "/api/v2.0/projects/moved":
		http.Redirect(w, r, h.elsewhere, http.StatusFound)
	case r.URL.Path == "/api/v2.0/projects" && r.Method == http.MethodPost && user != "admin":
		h.refuse(w, r, 403, "FORBIDDEN: "+user)
	case r.URL.Path == "/api/v2.0/users/current":
		_, _ = fmt.Fprintf(w, `{"user_id":1,"username":%q}`, user)
	case r.URL.Path == "/api/v2.0/projects" && r.Method == http.MethodPost:
		var body struct {
			Name string `json:"project_name"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		h.created = append(h.created, body.Name)
		w.WriteHeader(201)
	default:
		h.refuse(w, r, 404, "not found")
	}
}

func (h *sessionHarbor) client(t *testing.T, user string, opts ...harbor.Option) *harbor.Client {
	c, err := harbor.NewClient(h.URL, append([]harbor.Option{harbor.WithBasicAuth(user, sessionPassword), harbor.WithoutRetry()}, opts...)...)
	require.NoError(t, err)
	return c
}

func projectNames(t *testing.T, c *harbor.Client) []string {
	t.Helper()
	res, err := c.API().Project.ListProjects(t.Context(), project.NewListProjectsParams())
	require.NoError(t, err)
	var names []string
	for _, p := range res.Payload {
		names = append(names, p.Name)
	}
	return names
}

func createProject(c *harbor.Client, ctx context.Context, name string) error {
	_, err := c.API().Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: name}))
	return err
}

// One password verification for the whole session, reads and writes; never
// basic auth and the sid together; every write with the token. Without
// sessions, one per request.
func TestSessionOneHashPerSession(t *testing.T) {
	h := newSessionHarbor(t)
	c := h.client(t, "admin")
	for i := range 5 {
		who, err := c.Whoami(t.Context())
		require.NoError(t, err)
		assert.Equal(t, "admin", who.Name)
		require.NoError(t, createProject(c, t.Context(), fmt.Sprint("p", i)))
	}
	assert.Equal(t, int64(1), h.hashes.Load())
	assert.Equal(t, 0, h.both, "basic auth and the sid together cost the hash")
	assert.Equal(t, 0, h.noToken)
	assert.Len(t, h.created, 5)

	h.hashes.Store(0)
	plain := h.client(t, "admin", harbor.WithoutSessions())
	for range 5 {
		_, err := plain.Whoami(t.Context())
		require.NoError(t, err)
	}
	assert.Equal(t, int64(5), h.hashes.Load())
}

// A session Harbor forgot (expired, logged out, Redis restarted): a public
// read answers 200 with public data only, a protected one 401, a write 401.
// Each logs in again and is sent again: no answer is anonymous, no write
// is done twice.
func TestSessionForgottenNeverAnonymous(t *testing.T) {
	h := newSessionHarbor(t)
	c := h.client(t, "admin")
	assert.Equal(t, []string{"pub", "priv"}, projectNames(t, c))
	for name, call := range map[string]func() error{
		"public read": func() error {
			if names := projectNames(t, c); !assert.Equal(t, []string{"pub", "priv"}, names, "anonymous answer") {
				return fmt.Errorf("anonymous")
			}
			return nil
		},
		"protected read": func() error { _, err := c.Whoami(t.Context()); return err },
		"write":          func() error { return createProject(c, t.Context(), "w") },
	} {
		t.Run(name, func(t *testing.T) {
			h.forget()
			before := h.hashes.Load()
			require.NoError(t, call())
			assert.Equal(t, before+1, h.hashes.Load(), "one login again")
		})
	}
	assert.Equal(t, []string{"w"}, h.created, "the write was done once")
}

// Sessions that never stick (a fresh one is not recognised either): the
// call is answered with basic auth, and the client keeps basic auth.
func TestSessionThatNeverSticksFallsBackToBasicAuth(t *testing.T) {
	h := newSessionHarbor(t)
	h.keep = false
	c := h.client(t, "admin")
	assert.Equal(t, []string{"pub", "priv"}, projectNames(t, c))
	logins := h.hashes.Load()
	assert.Equal(t, []string{"pub", "priv"}, projectNames(t, c))
	assert.Equal(t, logins+1, h.hashes.Load(), "basic auth from then on, no more logins")
}

// Harbor's CSRF key changed (a restarted core without CSRF_KEY) or its 12h
// cookie expired: the 403 hands out a new cookie and token; the write is
// sent again with them, once.
func TestSessionCSRFRefusalRenewsTheToken(t *testing.T) {
	h := newSessionHarbor(t)
	c := h.client(t, "admin")
	require.NoError(t, createProject(c, t.Context(), "a"))
	h.mu.Lock()
	h.csrfKey = "k2"
	h.mu.Unlock()
	require.NoError(t, createProject(c, t.Context(), "b"))
	require.NoError(t, createProject(c, t.Context(), "c"))
	assert.Equal(t, []string{"a", "b", "c"}, h.created)
	assert.Equal(t, int64(1), h.hashes.Load())

	// A 403 that is not CSRF's (it carries a token too) is the answer,
	// Harbor's message whole.
	alice := h.client(t, "alice")
	err := createProject(alice, t.Context(), "x")
	require.ErrorIs(t, err, harbor.ErrForbidden)
	he, ok := harbor.AsError(err)
	require.True(t, ok)
	require.Len(t, he.Errors, 1)
	assert.Equal(t, "FORBIDDEN: alice", he.Errors[0].Message)
}

// The session goes to the origin only: a redirect elsewhere is refused
// before anything is sent there.
func TestSessionNotSentElsewhere(t *testing.T) {
	var seen atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen.Add(1) }))
	t.Cleanup(other.Close)
	h := newSessionHarbor(t)
	h.elsewhere = other.URL + "/api/v2.0/projects"
	c := h.client(t, "admin")
	_, err := c.API().Project.GetProject(t.Context(), project.NewGetProjectParams().WithProjectNameOrID("moved"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), other.URL)
	assert.Zero(t, seen.Load())
}

// Concurrent calls share one login, at the start and after Harbor forgot
// the session.
func TestSessionConcurrentCallsShareOneLogin(t *testing.T) {
	h := newSessionHarbor(t)
	c := h.client(t, "admin")
	run := func() {
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				who, err := c.Whoami(t.Context())
				if assert.NoError(t, err) {
					assert.Equal(t, "admin", who.Name)
				}
			})
		}
		wg.Wait()
	}
	run()
	assert.Equal(t, int64(1), h.hashes.Load())
	h.forget()
	run()
	assert.Equal(t, int64(2), h.hashes.Load())

	// The same on harbortest, its counter, and expiry by its clock.
	start, elapsed := time.Now(), atomic.Int64{}
	srv := harbortest.NewServer(harbortest.WithClock(func() time.Time { return start.Add(time.Duration(elapsed.Load())) }))
	t.Cleanup(srv.Close)
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	require.NoError(t, err)
	run()
	assert.Equal(t, int64(1), srv.PasswordChecks())
	elapsed.Add(int64(2 * time.Hour))
	run()
	assert.Equal(t, int64(2), srv.PasswordChecks())
}

// Robots never try /c/login (Harbor refuses them and their basic auth is
// cheap), with the default prefix or the client's.
func TestSessionRobotsKeepBasicAuth(t *testing.T) {
	h := newSessionHarbor(t)
	var tried atomic.Int64
	h.login = func(w http.ResponseWriter, r *http.Request) bool { tried.Add(1); return false }
	for _, c := range []*harbor.Client{
		h.client(t, "robot$ci"),
		h.client(t, "bot_ci", harbor.WithRobotNamePrefix("bot_")),
	} {
		_, err := c.Whoami(t.Context())
		require.NoError(t, err)
	}
	assert.Zero(t, tried.Load())
}

// /c/login refused (an OIDC user, a CLI secret, a wrong password) or
// missing (an older Harbor, a proxy): basic auth, and no second try; a
// 502 is tried again at the next call.
func TestSessionLoginRefusedOrMissingKeepsBasicAuth(t *testing.T) {
	html := func(status int) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			_, _ = w.Write([]byte("<html>portal</html>"))
		}
	}
	for name, tc := range map[string]struct {
		answer func(w http.ResponseWriter, r *http.Request)
		tries  int64
	}{
		"404":      {func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, 1},
		"405":      {func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(405) }, 1},
		"HTML 200": {html(200), 1},
		"HTML 502": {html(502), 3},
		"302 elsewhere": {func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://idp.example.com/login", http.StatusFound) // not followed
		}, 1},
		"OIDC 403 redirect": {nil, 1},
		"401":               {nil, 1},
		"200 without sid":   {nil, 1},
	} {
		t.Run(name, func(t *testing.T) {
			h := newSessionHarbor(t)
			var tries atomic.Int64
			h.login = func(w http.ResponseWriter, r *http.Request) bool {
				tries.Add(1)
				switch {
				case tc.answer != nil:
					tc.answer(w, r)
				case r.Header.Get("X-Harbor-Csrf-Token") == "":
					return false // the CSRF step as Harbor's
				case name == "401":
					w.WriteHeader(401)
				case name == "200 without sid": // a proxy that drops cookies
					w.WriteHeader(200)
				default:
					h.refuse(w, r, 403, "")
					_, _ = w.Write([]byte(`{"redirect_location":"https://idp.example.com/"}`))
				}
				return true
			}
			c := h.client(t, "admin")
			for range 3 {
				assert.Equal(t, []string{"pub", "priv"}, projectNames(t, c))
			}
			if tc.answer == nil {
				tc.tries *= 2 // the CSRF step and the login
			}
			assert.Equal(t, tc.tries, tries.Load())
			assert.Equal(t, int64(3), h.hashes.Load(), "basic auth")
		})
	}
}

// The sid, the CSRF cookie and the token are credentials: a hostile server
// quoting them in its error bodies or request ids finds them redacted in
// errors and log records; fmt verbs on the client never show them.
func TestSessionKeysRedacted(t *testing.T) {
	h := newSessionHarbor(t)
	h.echo = true
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := h.client(t, "admin", harbor.WithLogger(logger))
	_, err := c.Whoami(t.Context())
	require.NoError(t, err)
	_, err = c.API().Project.GetProject(t.Context(), project.NewGetProjectParams().WithProjectNameOrID("nope"))
	require.Error(t, err)
	sid := h.onlySession(t)
	he, ok := harbor.AsError(err)
	require.True(t, ok)
	text := fmt.Sprintf("%v %+v %#v %s %v %+v %#v", err, err, err, buf.String(), c, c, c) + he.Body
	for _, it := range he.Errors {
		text += it.Message
	}
	assert.Contains(t, text, "cookie=sid=xxxxx", "the answer was read, redacted")
	assert.NotContains(t, text, sid)
	assert.NotContains(t, text, "k1")
	assert.NotContains(t, text, sessionPassword)
}

// Close's logout is no call of the user's, yet its log record redacts the
// session a hostile server quotes back.
func TestSessionLogoutLogRedacted(t *testing.T) {
	h := newSessionHarbor(t)
	h.login = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/c/log_out" {
			return false
		}
		w.Header().Set("X-Request-Id", r.Header.Get("Cookie")+" "+r.Header.Get("X-Harbor-Csrf-Token"))
		return true
	}
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := h.client(t, "admin", harbor.WithLogger(logger))
	_, err := c.Whoami(t.Context())
	require.NoError(t, err)
	sid := h.onlySession(t)
	require.NoError(t, c.Close())
	assert.Contains(t, buf.String(), `"path":"/c/log_out"`)
	assert.Contains(t, buf.String(), "sid=xxxxx", "the echo was logged, redacted")
	assert.NotContains(t, buf.String(), sid)
	assert.NotContains(t, buf.String(), "k1")
}

// Derived clients of another user have their own session; Close logs out
// (Harbor forgets the sid) and a later call logs in again.
func TestSessionPerClientAndLogoutOnClose(t *testing.T) {
	h := newSessionHarbor(t)
	admin := h.client(t, "admin")
	alice, err := admin.With(harbor.WithBasicAuth("alice", sessionPassword))
	require.NoError(t, err)
	for _, tc := range []struct {
		c    *harbor.Client
		want string
	}{{admin, "admin"}, {alice, "alice"}, {admin, "admin"}, {alice, "alice"}} {
		who, err := tc.c.Whoami(t.Context())
		require.NoError(t, err)
		assert.Equal(t, tc.want, who.Name)
	}
	assert.Equal(t, int64(2), h.hashes.Load())
	h.mu.Lock()
	assert.Len(t, h.sessions, 2)
	h.mu.Unlock()

	require.NoError(t, alice.Close())
	h.mu.Lock()
	assert.Len(t, h.sessions, 1, "alice's session is gone")
	h.mu.Unlock()
	who, err := alice.Whoami(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "alice", who.Name)
	assert.Equal(t, int64(3), h.hashes.Load())
	require.NoError(t, h.client(t, "robot$x").Close(), "nothing to log out")
}

// Against harbortest: a session that expired (session_timeout, 60 minutes
// idle) or was logged out never turns a read anonymous: the listing still
// holds the private projects, Whoami still answers the user, and each costs
// one login more.
func TestSessionExpiredOnHarbortestNeverAnonymous(t *testing.T) {
	start, elapsed := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC), atomic.Int64{}
	srv := harbortest.NewServer(harbortest.WithClock(func() time.Time { return start.Add(time.Duration(elapsed.Load())) }))
	t.Cleanup(srv.Close)
	srv.AddProjects(3) // private
	admin, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	require.NoError(t, err)
	count := func() int {
		res, err := admin.API().Project.ListProjects(t.Context(), project.NewListProjectsParams())
		require.NoError(t, err)
		return len(res.Payload)
	}
	require.Equal(t, 4, count())
	require.Equal(t, int64(1), srv.PasswordChecks())

	elapsed.Add(int64(59 * time.Minute))
	assert.Equal(t, 4, count())
	elapsed.Add(int64(59 * time.Minute))
	assert.Equal(t, 4, count(), "sliding: used within the hour")
	assert.Equal(t, int64(1), srv.PasswordChecks())

	elapsed.Add(int64(61 * time.Minute))
	assert.Equal(t, 4, count(), "expired: not the anonymous answer (library only)")
	assert.Equal(t, int64(2), srv.PasswordChecks())
	elapsed.Add(int64(61 * time.Minute))
	who, err := admin.Whoami(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "admin", who.Name)
	assert.Equal(t, int64(3), srv.PasswordChecks())

	// Close logs out; the next call logs in again.
	require.NoError(t, admin.Close())
	assert.Equal(t, 4, count())
	assert.Equal(t, int64(4), srv.PasswordChecks())
}

// Every existing flow costs one password check per user client with
// sessions, one per request without. The figures of BENCHMARKS.md:
//
//	go test -run TestSessionPasswordChecksPerFlow -v ./harbor/
func TestSessionPasswordChecksPerFlow(t *testing.T) {
	flows := []struct {
		name string
		seed func(srv *harbortest.Server)
		run  func(t *testing.T, srv *harbortest.Server, admin *harbor.Client)
	}{
		{"1,000 calls (Whoami)", nil, func(t *testing.T, _ *harbortest.Server, admin *harbor.Client) {
			for range 1000 {
				_, err := admin.Whoami(t.Context())
				require.NoError(t, err)
			}
		}},
		{"privileged-robot example", nil, privilegedRobotFlow},
		{"10,000-project listing", func(srv *harbortest.Server) { srv.AddProjects(9999) },
			func(t *testing.T, _ *harbortest.Server, admin *harbor.Client) {
				n := 0
				for _, err := range harbor.All(t.Context(), admin.API().Project.ListProjects, project.NewListProjectsParams()) {
					require.NoError(t, err)
					n++
				}
				require.Equal(t, 10000, n)
			}},
		{"artifact walk (20 projects, 100 repositories)", func(srv *harbortest.Server) {
			for p := range 20 {
				name := fmt.Sprintf("walk%02d", p)
				srv.AddProject(name, false)
				for r := range 5 {
					srv.AddImage(name, fmt.Sprint("app", r), "v1")
				}
			}
		}, func(t *testing.T, _ *harbortest.Server, admin *harbor.Client) {
			n := 0
			for _, err := range admin.WalkArtifacts(t.Context(), nil) {
				require.NoError(t, err)
				n++
			}
			require.Equal(t, 100, n)
		}},
	}
	for _, f := range flows {
		var checks [2]int64
		var requests [2]int
		for i, opts := range [][]harbor.Option{{harbor.WithoutSessions()}, nil} {
			srv := harbortest.NewServer()
			if f.seed != nil {
				f.seed(srv)
			}
			admin, err := harbor.NewClient(srv.URL, append(opts, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))...)
			require.NoError(t, err)
			f.run(t, srv, admin)
			require.NoError(t, admin.Close())
			checks[i], requests[i] = srv.PasswordChecks(), len(srv.Requests())
			srv.Close()
		}
		assert.Equal(t, int64(1), checks[1], f.name)
		t.Logf("%-48s requests %5d / %5d   password checks without sessions %5d, with %d", f.name, requests[0], requests[1], checks[0], checks[1])
	}
}

// privilegedRobotFlow is examples/privileged-robot's: the administrator
// creates a system robot and saves it, the robot creates a project and is
// refused the user list, the administrator cleans up.
func privilegedRobotFlow(t *testing.T, srv *harbortest.Server, admin *harbor.Client) {
	ctx := t.Context()
	_, err := admin.Whoami(ctx)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "robot.json")
	created, err := admin.CreateRobot(ctx, harbor.SystemRobot("example", 30, harbor.Allow(harbor.ResourceProject, harbor.ActionCreate)),
		harbor.SaveCredentials(path))
	require.NoError(t, err)
	bot, err := admin.With(harbor.WithCredentialsFile(path))
	require.NoError(t, err)
	_, err = bot.Whoami(ctx)
	require.NoError(t, err)
	require.NoError(t, createProject(bot, ctx, "example"))
	_, err = bot.API().User.ListUsers(ctx, user.NewListUsersParams())
	require.ErrorIs(t, err, harbor.ErrForbidden)
	_, err = admin.API().Robot.DeleteRobot(ctx, robot.NewDeleteRobotParams().WithRobotID(created.ID))
	require.NoError(t, err)
	_, err = admin.API().Project.DeleteProject(ctx, project.NewDeleteProjectParams().WithProjectNameOrID("example"))
	require.NoError(t, err)
}

// A client built with a user's password logs in once and sends Harbor's
// session: Harbor verifies the password once, however many calls follow
// (about 170 ms of its CPU each on v2.15). Close logs the session out.
func Example_sessions() {
	srv := harbortest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	whoami100 := func(c *harbor.Client) {
		for range 100 {
			if _, err := c.Whoami(ctx); err != nil {
				fmt.Println(err)
			}
		}
	}

	c, _ := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	whoami100(c)
	_ = c.Close()
	fmt.Println("password checks for 100 calls:", srv.PasswordChecks())

	plain, _ := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword), harbor.WithoutSessions())
	whoami100(plain)
	fmt.Println("with WithoutSessions:", srv.PasswordChecks()-1)
	// Output:
	// password checks for 100 calls: 1
	// with WithoutSessions: 100
}

// A write whose context ends while the client logs in was never sent: its
// error says so and matches the context's, not ErrOutcomeUnknown.
func TestSessionWriteCutDuringLoginIsNotSent(t *testing.T) {
	h := newSessionHarbor(t)
	ctx, cancel := context.WithCancel(t.Context())
	h.login = func(w http.ResponseWriter, r *http.Request) bool {
		cancel() // the caller gives up while Harbor answers the login
		return false
	}
	c := h.client(t, "admin")
	err := createProject(c, ctx, "x")
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, harbor.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "not sent")
	assert.Empty(t, h.created)

	// The same when Harbor forgot the session: the write answered 401 did
	// nothing, and the context ends during the second login.
	h.mu.Lock()
	h.login = nil
	h.mu.Unlock()
	c = h.client(t, "admin")
	_, err = c.Whoami(t.Context()) // logged in
	require.NoError(t, err)
	h.forget()
	ctx, cancel = context.WithCancel(t.Context())
	h.mu.Lock()
	h.login = func(w http.ResponseWriter, r *http.Request) bool {
		cancel()
		return false
	}
	h.mu.Unlock()
	err = createProject(c, ctx, "y")
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, harbor.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "not sent")
	assert.Empty(t, h.created)
}

// The login's requests are not the call's: a write whose own request
// never reached Harbor (it went away right after the login) is "not sent",
// though the login's were written.
func TestSessionLoginIsNotTheCallsRequest(t *testing.T) {
	h := newSessionHarbor(t)
	h.login = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Header.Get("X-Harbor-Csrf-Token") != "" { // the login itself
			_ = h.Listener.Close()
			w.Header().Set("Connection", "close")
		}
		return false
	}
	err := createProject(h.client(t, "admin"), t.Context(), "x")
	require.Error(t, err)
	assert.NotErrorIs(t, err, harbor.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "not sent")
	assert.Empty(t, h.created)
}
