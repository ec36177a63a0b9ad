package harbortest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

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
