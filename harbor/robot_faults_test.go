package harbor_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// hangProxy forwards every request to a harbortest server. A request
// matching its method and path prefix is first carried out by the server,
// whose answer is dropped; then the proxy calls onApplied (when set) and
// hangs until the client gives up: the client cannot know the outcome.
type hangProxy struct {
	*httptest.Server
	method, prefix string
	onApplied      func()
	hung           atomic.Int64
}

func newHangProxy(t *testing.T, srv *harbortest.Server, method, prefix string) *hangProxy {
	t.Helper()
	target, err := url.Parse(srv.URL)
	require.NoError(t, err)
	forward := httputil.NewSingleHostReverseProxy(target)
	hc := srv.HTTPClient()
	p := &hangProxy{method: method, prefix: prefix}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != p.method || !strings.HasPrefix(r.URL.Path, p.prefix) || p.hung.Add(1) > 1 {
			forward.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		req, err := http.NewRequest(r.Method, srv.URL+r.URL.RequestURI(), bytes.NewReader(body))
		if err != nil {
			panic(err)
		}
		req.Header = r.Header.Clone()
		resp, err := hc.Do(req)
		if err != nil {
			panic(err)
		}
		_ = resp.Body.Close()
		if p.onApplied != nil {
			p.onApplied()
		}
		<-r.Context().Done()
	}))
	t.Cleanup(p.Close)
	return p
}
