package harbor_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// faultProxy stands in front of a harbortest server, as a reverse proxy
// does in front of Harbor, and answers the requests whose path contains
// a key of faults itself.
func faultProxy(t *testing.T, srv *harbortest.Server, faults map[string]http.HandlerFunc) *harbor.Client {
	t.Helper()
	target, err := url.Parse(srv.URL)
	require.NoError(t, err)
	rp := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for part, h := range faults {
			if strings.Contains(r.URL.EscapedPath(), part) {
				h(w, r)
				return
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	c, err := harbor.NewClient(front.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword), harbor.WithoutRetry())
	require.NoError(t, err)
	return c
}

// cutAfter writes the headers and part of a body, then drops the
// connection.
func cutAfter(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)+1000))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(body))
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}
}

func htmlBadGateway(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"))
}

// A connection cut while a report is read is an error for that artifact
// (never a truncated report), and the walk goes on; an HTML 502 from a
// proxy on one repository is an *Error matching ErrServer, and the walk
// goes on too.
func TestWalkArtifactsSurvivesCutConnectionAndProxy502(t *testing.T) {
	srv, _ := newServer(t)
	seedWalk(srv)
	admin := faultProxy(t, srv, map[string]http.HandlerFunc{
		"/repositories/team%252Fapp/artifacts/sha256:": cutAfter(`{"application/vnd.security.vulnerability.report; version=1.1":{"vulnerabilities":[`),
		"/projects/a/repositories/tools/artifacts":     htmlBadGateway,
	})
	for _, workers := range []int{1, 3} {
		t.Run(fmt.Sprint(workers), func(t *testing.T) {
			var good, cut, bad int
			for a, err := range admin.WalkArtifacts(t.Context(), harbor.WalkReports(harbor.ReportGeneric), harbor.WalkConcurrency(workers)) {
				switch {
				case err == nil:
					require.NotNil(t, a.Report)
					good++
				case a.Repository == "team/app":
					assert.Nil(t, a.Report, "no partial report")
					assert.ErrorContains(t, err, "unexpected EOF")
					cut++
				case a.Repository == "tools":
					var he *harbor.Error
					require.ErrorAs(t, err, &he)
					assert.Equal(t, http.StatusBadGateway, he.StatusCode)
					assert.ErrorIs(t, err, harbor.ErrServer)
					bad++
				default:
					t.Fatalf("unexpected error for %s: %v", a.Reference(), err)
				}
			}
			assert.Equal(t, []int{1, 2, 1}, []int{good, cut, bad}) // b/web; a/team/app's two reports; a/tools
		})
	}
}

// A 50 MB report sent in chunks is read whole; cut in the middle, it is an
// error, never a shorter report.
func TestVulnerabilityReportLargeChunkedBody(t *testing.T) {
	const n = 1000
	desc := strings.Repeat("x", 50<<10) // 1000 findings of 50 KiB: 50 MB
	var vulns []string
	for i := range n {
		vulns = append(vulns, fmt.Sprintf(`{"id":"CVE-2026-%d","package":"p","version":"1","severity":"High","description":%q}`, i, desc))
	}
	body := `{"` + string(harbor.ReportGeneric) + `":{"severity":"High","vulnerabilities":[` + strings.Join(vulns, ",") + `]}}`
	chunked := func(cut bool) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			end := len(body)
			if cut {
				end = len(body) / 2
			}
			for i := 0; i < end; i += 1 << 20 {
				_, _ = w.Write([]byte(body[i:min(i+1<<20, end)]))
				w.(http.Flusher).Flush() // no Content-Length: chunked
			}
			if cut {
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					_ = conn.Close()
				}
			}
		}
	}
	srv, _ := newServer(t)
	srv.AddProject("p", false)
	srv.AddImage("p", "app", "whole", "cut")
	for _, cut := range []bool{false, true} {
		t.Run(fmt.Sprint("cut=", cut), func(t *testing.T) {
			c := faultProxy(t, srv, map[string]http.HandlerFunc{"/additions/vulnerabilities": chunked(cut)})
			rep, err := c.VulnerabilityReport(t.Context(), "p", "app", "whole", harbor.ReportGeneric)
			if cut {
				require.Error(t, err)
				assert.ErrorContains(t, err, "reading the answer: unexpected EOF")
				assert.Nil(t, rep)
				return
			}
			require.NoError(t, err)
			require.Len(t, rep.Vulnerabilities, n)
			assert.Len(t, rep.Vulnerabilities[n-1].Description, len(desc))
			assert.Equal(t, n, rep.Counts().Total())
		})
	}
}

// A report with unknown severities and extra fields, served by harbortest
// as seeded, is read through the client: unknown severities count as
// Unknown, extra fields are ignored.
func TestVulnerabilityReportUnknownSeveritiesFromServer(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("p", false)
	srv.AddImage("p", "app", "1")
	rep := map[string]any{
		"generated_at": "2026-11-30T05:00:00Z", "severity": "Catastrophic", "extra": []int{1},
		"vulnerabilities": []map[string]any{
			{"id": "CVE-1", "severity": "Catastrophic", "package": "a", "version": "1", "new": true},
			{"id": "CVE-2", "severity": "CRITICAL", "package": "b", "version": "1", "fix_version": "2"},
		},
	}
	raw, err := json.Marshal(rep)
	require.NoError(t, err)
	srv.SetReportJSON("p", "app", "1", string(harbor.ReportGeneric), raw)
	got, err := admin.VulnerabilityReport(t.Context(), "p", "app", "1", harbor.ReportGeneric)
	require.NoError(t, err)
	counts := got.Counts()
	assert.Equal(t, 1, counts[harbor.SeverityUnknown])
	assert.Equal(t, 1, counts[harbor.SeverityCritical])
	assert.Equal(t, harbor.SeverityCritical, got.Worst())
	assert.Equal(t, []string{"CVE-2"}, ids(got.Filter(harbor.Fixable())))
}

func ids(vs []harbor.Vulnerability) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

// Every goroutine of a concurrent walk ends when the caller breaks out of
// the loop and when ctx is cancelled, and none is left after a full walk.
func TestWalkArtifactsLeavesNoGoroutine(t *testing.T) {
	srv, _ := newServer(t)
	srv.AddProject("c", false)
	for i := range 40 {
		srv.AddImage("c", fmt.Sprintf("r%03d", i), "v1")
	}
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	admin, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword), harbor.WithHTTPClient(hc))
	require.NoError(t, err)
	// settled waits, at most within, until no more than want goroutines run
	// once the idle connections (and their goroutines on both ends) are
	// closed.
	settled := func(want int, within time.Duration) int {
		deadline := time.Now().Add(within)
		for {
			hc.CloseIdleConnections()
			n := runtime.NumGoroutine()
			if n <= want || time.Now().After(deadline) {
				return n
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	walk := func(ctx context.Context, stopAt int) {
		n := 0
		for range admin.WalkArtifacts(ctx, harbor.WalkConcurrency(8)) {
			n++
			if n == stopAt {
				break
			}
		}
	}
	walk(t.Context(), 0) // warm up
	// The baseline: the count once it stops falling.
	before := settled(0, time.Second)
	for prev := before + 1; before < prev; {
		prev, before = before, settled(before-1, time.Second)
	}
	cases := map[string]func(){
		"full walk": func() { walk(t.Context(), 0) },
		"break":     func() { walk(t.Context(), 3) },
		"cancelled": func() {
			ctx, cancel := context.WithCancel(t.Context())
			n := 0
			for range admin.WalkArtifacts(ctx, harbor.WalkConcurrency(8)) {
				if n++; n == 2 {
					cancel()
				}
			}
			cancel()
		},
	}
	for name, run := range cases {
		run()
		// Generous: goroutines may end slowly on a loaded machine, and
		// settled returns as soon as they have.
		assert.LessOrEqual(t, settled(before, 30*time.Second), before, "%s: goroutines left", name)
	}
}
