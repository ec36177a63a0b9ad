package harbortest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

// call sends one request with optional basic auth and header name/value
// pairs (an empty value is not sent) and returns status, headers and body.
func call(t *testing.T, srv *harbortest.Server, method, path, user, pass, body string, header ...string) (int, http.Header, string) {
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
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] != "" {
			req.Header.Set(header[i], header[i+1])
		}
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

// projectRobot creates a never-expiring robot of project with one
// repository permission and returns its id and secret.
func projectRobot(t *testing.T, srv *harbortest.Server, name, project, action string) (int64, string) {
	t.Helper()
	return createRobot(t, srv, `{"name":"`+name+`","level":"project","duration":-1,"permissions":[{"kind":"project","namespace":"`+project+`","access":[{"resource":"repository","action":"`+action+`"}]}]}`)
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

// moreStep is one request of a table test and what its answer must hold.
type moreStep struct {
	name       string
	method     string
	path       string
	user       string // "admin", a seeded user (password "Passw0rd1"), or "" for anonymous
	body       string
	wantStatus int
	wantBody   []string          // substrings of the body
	notBody    []string          // substrings the body must not have
	wantHeader map[string]string // exact header values ("" = absent)
}

// runMoreSteps sends the steps in order on srv and checks each answer.
func runMoreSteps(t *testing.T, srv *harbortest.Server, steps []moreStep) {
	t.Helper()
	for _, st := range steps {
		pass := "Passw0rd1"
		if st.user == "admin" {
			pass = srv.AdminPassword
		}
		status, h, body := call(t, srv, st.method, st.path, st.user, pass, st.body)
		require.Equal(t, st.wantStatus, status, "%s: %s %s: %s", st.name, st.method, st.path, body)
		for _, s := range st.wantBody {
			require.Contains(t, body, s, st.name)
		}
		for _, s := range st.notBody {
			require.NotContains(t, body, s, st.name)
		}
		for k, v := range st.wantHeader {
			require.Equal(t, v, h.Get(k), "%s: header %s", st.name, k)
		}
	}
}

// healthyProvider is an httptest server that answers the health checks of
// preheat providers and OIDC discovery, and counts them.
func healthyProvider(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	n := new(atomic.Int64)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthy", "/health":
			n.Add(1)
			w.WriteHeader(http.StatusOK)
		case "/.well-known/openid-configuration":
			n.Add(1)
			fmt.Fprintf(w, `{"issuer":%q}`, "http://"+r.Host)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(hs.Close)
	return hs, n
}

// deadEndpoint returns a loopback URL nothing listens on.
func deadEndpoint(t *testing.T) string {
	t.Helper()
	hs := httptest.NewServer(http.NotFoundHandler())
	u := hs.URL
	hs.Close()
	return u
}

func digestN(n int) string { return "sha256:" + strings.Repeat(fmt.Sprintf("%x", n%16), 64) }

// apiStep is one request of a resource test and what Harbor answers to it
// (as recorded in testdata/harbor-captures/set2).
type apiStep struct {
	name           string
	method, path   string
	user, password string // "" is anonymous; user "admin" uses the admin password
	body           string
	status         int
	want           []string          // substrings the body must contain
	wantNot        []string          // substrings the body must not contain
	header         map[string]string // headers that must have exactly this value
}

// runSteps sends the steps in order to srv and checks each answer.
func runSteps(t *testing.T, srv *harbortest.Server, steps []apiStep) {
	t.Helper()
	for _, st := range steps {
		user, pass := st.user, st.password
		if user == "admin" && pass == "" {
			pass = srv.AdminPassword
		}
		status, hdr, body := call(t, srv, st.method, st.path, user, pass, st.body)
		label := st.name
		if label == "" {
			label = st.method + " " + st.path
		}
		if status != st.status {
			t.Errorf("%s: status %d, want %d (%s)", label, status, st.status, body)
			continue
		}
		for _, w := range st.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: body %q lacks %q", label, body, w)
			}
		}
		for _, w := range st.wantNot {
			if strings.Contains(body, w) {
				t.Errorf("%s: body %q has %q", label, body, w)
			}
		}
		for k, v := range st.header {
			if got := hdr.Get(k); got != v {
				t.Errorf("%s: header %s = %q, want %q", label, k, got, v)
			}
		}
	}
}

// errBody is a Harbor error body with one error.
func errBody(code, msg string) string {
	return `{"errors":[{"code":"` + code + `","message":"` + msg + `"}]}`
}

var (
	ok      = http.StatusOK
	created = http.StatusCreated
)

// jsonField returns the value at a dotted path ("0.id", "name") of a JSON
// body, as text.
func jsonField(t *testing.T, body, path string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("not JSON: %q", body)
	}
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(x) {
				t.Fatalf("no %s in %s", path, body)
			}
			v = x[i]
		case map[string]any:
			v = x[p]
		default:
			t.Fatalf("no %s in %s", path, body)
		}
	}
	if f, ok := v.(float64); ok {
		return strconv.FormatInt(int64(f), 10)
	}
	return fmt.Sprint(v)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
