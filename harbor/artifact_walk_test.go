package harbor_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// seedWalk seeds projects a and b: a/team/app (2 scanned images), a/tools (1
// unscanned), b/web (1 scanned); and project c with 105 repositories of one
// image each (more than a page).
func seedWalk(srv *harbortest.Server) {
	srv.AddProject("a", false)
	srv.AddProject("b", true)
	srv.AddImage("a", "team/app", "1.0", "latest")
	srv.AddImage("a", "team/app", "2.0")
	srv.AddImage("a", "tools", "dev")
	srv.AddImage("b", "web", "1")
	srv.SetReport("a", "team/app", "1.0", harbortest.SampleVulnerabilities())
	srv.SetReport("a", "team/app", "2.0", harbortest.SampleVulnerabilities()[3:])
	srv.SetReport("b", "web", "1", harbortest.SampleVulnerabilities()[:1])
}

func collect(t *testing.T, seq func(func(harbor.ArtifactInfo, error) bool)) (items []harbor.ArtifactInfo, errs []error) {
	t.Helper()
	for a, err := range seq {
		if err != nil {
			errs = append(errs, err)
			if a.Artifact == nil {
				continue
			}
		}
		items = append(items, a)
	}
	return items, errs
}

func refs(items []harbor.ArtifactInfo) []string {
	var out []string
	for _, a := range items {
		out = append(out, a.Project+"/"+a.Repository+":"+strings.Join(a.Tags(), ","))
	}
	sort.Strings(out)
	return out
}

func TestWalkArtifactsWithReports(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprint(workers), func(t *testing.T) {
			srv, admin := newServer(t)
			seedWalk(srv)
			srv.ResetRequests()
			items, errs := collect(t, admin.WalkArtifacts(t.Context(), &harbor.WalkOptions{Reports: harbor.ReportGeneric, Concurrency: workers}))
			assert.Equal(t, []string{"a/team/app:2.0", "a/team/app:latest,1.0", "a/tools:dev", "b/web:1"}, refs(items))
			require.Len(t, items, 4)
			require.Empty(t, errs, "not scanned is a state (Scan.Status), not an error")
			reports := 0
			for _, a := range items {
				if a.Report != nil {
					reports++
					assert.Equal(t, a.Report.Vulnerabilities[0].ArtifactDigests, []string{a.Digest()})
					assert.Equal(t, harbor.ScanStatusSuccess, a.Scan.Status)
					assert.Equal(t, a.Report.Counts(), a.Scan.Counts, "the listing's overview agrees with the report")
				} else {
					assert.Equal(t, "a/tools:dev", a.Project+"/"+a.Repository+":"+a.Tags()[0])
					assert.Equal(t, harbor.ScanOverview{}, a.Scan)
				}
			}
			assert.Equal(t, 3, reports)
			// 1 page of projects (library, a, b), 3 of repositories, 3 of artifacts, 3 reports.
			assert.Len(t, apiRequests(srv), 1+3+3+3)
		})
	}
}

func TestWalkArtifactsChosenRepositoriesAndTags(t *testing.T) {
	srv, admin := newServer(t)
	seedWalk(srv)
	srv.ResetRequests()
	items, errs := collect(t, admin.WalkArtifacts(t.Context(), &harbor.WalkOptions{Repositories: []string{"a/team/app"}, Tags: []string{"2.0"}}))
	require.Empty(t, errs)
	assert.Equal(t, []string{"a/team/app:2.0"}, refs(items))
	require.Len(t, apiRequests(srv), 1)
	assert.Equal(t, "/api/v2.0/projects/a/repositories/team%2Fapp/artifacts", apiRequests(srv)[0].Path) // double-escaped on the wire

	items, errs = collect(t, admin.WalkArtifacts(t.Context(), &harbor.WalkOptions{Projects: []string{"b"}, ArtifactQuery: "tags=1"}))
	require.Empty(t, errs)
	assert.Equal(t, []string{"b/web:1"}, refs(items))

	_, errs = collect(t, admin.WalkArtifacts(t.Context(), &harbor.WalkOptions{Repositories: []string{"noproject"}}))
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], `WalkOptions.Repositories: "noproject": want project/repository`)
}

func TestWalkArtifactsManyPages(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("c", false)
	for i := range 205 {
		srv.AddImage("c", fmt.Sprintf("r%03d", i), "v1")
	}
	srv.ResetRequests()
	items, errs := collect(t, admin.WalkArtifacts(t.Context(), &harbor.WalkOptions{Projects: []string{"c"}, Concurrency: 3}))
	require.Empty(t, errs)
	assert.Len(t, items, 205)
	assert.Len(t, apiRequests(srv), 3+205) // 3 pages of repositories, one artifact page each
}

func TestWalkArtifactsSomeRepositoriesFail(t *testing.T) {
	for _, workers := range []int{1, 3} {
		t.Run(fmt.Sprint(workers), func(t *testing.T) {
			srv, admin := newServer(t)
			seedWalk(srv)
			srv.FailNext(1, http.StatusForbidden, harbortest.OnPath("/api/v2.0/projects/a/repositories/tools/artifacts"))
			srv.FailNext(1, http.StatusForbidden, harbortest.OnPath("/api/v2.0/projects/b/repositories"))
			var failed []string
			n := 0
			for a, err := range admin.WalkArtifacts(t.Context(), &harbor.WalkOptions{Concurrency: workers}) {
				if err != nil {
					require.ErrorIs(t, err, harbor.ErrForbidden)
					failed = append(failed, a.Project+"/"+a.Repository)
					continue
				}
				n++
			}
			sort.Strings(failed)
			assert.Equal(t, []string{"a/tools", "b/"}, failed)
			assert.Equal(t, 2, n) // a/team/app's two artifacts
		})
	}
}

func TestWalkArtifactsCancelled(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprint(workers), func(t *testing.T) {
			srv, admin := newServer(t)
			srv.AddProject("c", false)
			for i := range 50 {
				srv.AddImage("c", fmt.Sprintf("r%03d", i), "v1")
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			seen, ctxErrs := 0, 0
			for _, err := range admin.WalkArtifacts(ctx, &harbor.WalkOptions{Concurrency: workers}) {
				if err != nil {
					require.ErrorIs(t, err, context.Canceled)
					ctxErrs++
					continue
				}
				seen++
				if seen == 3 {
					cancel()
				}
			}
			assert.Equal(t, 1, ctxErrs, "the cancellation is reported once")
			assert.Equal(t, 3, seen, "no artifact after the cancellation")
		})
	}
}

func TestWalkArtifactsBreakStopsWorkers(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("c", false)
	for i := range 40 {
		srv.AddImage("c", fmt.Sprintf("r%03d", i), "v1")
	}
	srv.ResetRequests()
	n := 0
	for _, err := range admin.WalkArtifacts(t.Context(), &harbor.WalkOptions{Concurrency: 4}) {
		require.NoError(t, err)
		n++
		if n == 2 {
			break
		}
	}
	// Far fewer than all repositories were walked.
	assert.Less(t, len(apiRequests(srv)), 1+40)
}

// With Concurrency n at most n requests are in flight, listing
// included, so the walk opens at most n connections and keeps them.
func TestWalkArtifactsConnectionsPerWorker(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("c", false)
	for i := range 30 {
		srv.AddImage("c", fmt.Sprintf("r%03d", i), "v1")
	}
	srv.SetLatency(time.Millisecond) // requests overlap
	before := srv.ConnectionsAccepted()
	items, errs := collect(t, admin.WalkArtifacts(t.Context(), &harbor.WalkOptions{Concurrency: 3}))
	require.Empty(t, errs)
	require.Len(t, items, 30)
	assert.LessOrEqual(t, srv.ConnectionsAccepted()-before, 3)
}

// An inventory of 2,000 scanned artifacts with their scan counts costs one
// request per listing page (projects, repositories, artifacts), not one
// per artifact; the progress totals come from X-Total-Count.
func TestWalkArtifactsInventoryCostsOneRequestPerPage(t *testing.T) {
	srv, admin := newServer(t)
	vulns := harbortest.SampleVulnerabilities()
	for _, p := range []string{"s1", "s2"} {
		srv.AddProject(p, false)
		for _, r := range []string{"team/app", "web"} {
			for i := range 500 {
				tag := fmt.Sprintf("v%d", i)
				srv.AddImage(p, r, tag)
				srv.SetReport(p, r, tag, vulns[:1+i%len(vulns)])
			}
		}
	}
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprint(workers), func(t *testing.T) {
			srv.ResetRequests()
			var last harbor.WalkProgress
			calls := 0
			progress := func(p harbor.WalkProgress) {
				calls++
				assert.LessOrEqual(t, p.Artifacts, p.ArtifactsTotal)
				assert.LessOrEqual(t, p.Repositories, p.RepositoriesTotal)
				assert.LessOrEqual(t, p.Projects, p.ProjectsTotal)
				assert.GreaterOrEqual(t, p.Artifacts, last.Artifacts, "never goes back")
				last = p
			}
			n, total := 0, 0
			for a, err := range admin.WalkArtifacts(t.Context(), &harbor.WalkOptions{Progress: progress, Concurrency: workers}) {
				require.NoError(t, err)
				require.Equal(t, harbor.ScanStatusSuccess, a.Scan.Status, a.Reference())
				require.NotNil(t, a.Scan.Scanner)
				var i int
				_, err := fmt.Sscanf(a.Tags()[0], "v%d", &i)
				require.NoError(t, err)
				assert.Equal(t, 1+i%len(vulns), a.Scan.Counts.Total(), a.Reference())
				n++
				total += a.Scan.Counts.Total()
			}
			assert.Equal(t, 2000, n)
			assert.Equal(t, 2001, calls, "called before each item and at the end")
			assert.Equal(t, harbor.WalkProgress{Projects: 3, ProjectsTotal: 3, Repositories: 4,
				RepositoriesTotal: 4, Artifacts: 2000, ArtifactsTotal: 2000}, last, "the end: everything listed")
			// 1 page of projects (library, s1, s2), 1 of repositories each,
			// 5 pages of 100 artifacts per repository: nothing per artifact.
			assert.Len(t, apiRequests(srv), 1+3+4*5)
			for _, r := range apiRequests(srv) {
				if strings.HasSuffix(r.Path, "/artifacts") {
					assert.Contains(t, r.RawQuery, "with_scan_overview=true")
				}
			}
		})
	}
}

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
			for a, err := range admin.WalkArtifacts(t.Context(), &harbor.WalkOptions{Reports: harbor.ReportGeneric, Concurrency: workers}) {
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
		for range admin.WalkArtifacts(ctx, &harbor.WalkOptions{Concurrency: 8}) {
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
			for range admin.WalkArtifacts(ctx, &harbor.WalkOptions{Concurrency: 8}) {
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

// seedBenchRegistry seeds one project with repos repositories of perRepo
// scanned images each (the six sample findings).
func seedBenchRegistry(srv *harbortest.Server, repos, perRepo int) {
	srv.AddProject("bench", false)
	vulns := harbortest.SampleVulnerabilities()
	for r := range repos {
		name := fmt.Sprintf("team/app-%04d", r)
		for a := range perRepo {
			tag := fmt.Sprintf("v%d", a)
			srv.AddImage("bench", name, tag)
			srv.SetReport("bench", name, tag, vulns)
		}
	}
}

// BenchmarkWalkArtifacts walks repos x 10 scanned artifacts with their
// reports from harbortest answering after 2 ms, sequentially and with 8
// workers. Besides ns/op it reports the requests and connections of one
// walk and the largest live heap seen during it (after a GC every 500
// artifacts, the in-process server's state included, its request log not).
//
//	go test ./harbor -run '^$' -bench BenchmarkWalkArtifacts -benchtime 1x
func BenchmarkWalkArtifacts(b *testing.B) {
	for _, repos := range []int{100, 1000} {
		srv := harbortest.NewServer()
		seedBenchRegistry(srv, repos, 10)
		srv.SetLatency(2 * time.Millisecond)
		for _, workers := range []int{1, 8} {
			b.Run(fmt.Sprintf("artifacts=%d/workers=%d", repos*10, workers), func(b *testing.B) {
				c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
				if err != nil {
					b.Fatal(err)
				}
				var ms runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&ms)
				base := ms.HeapAlloc
				var peak uint64
				var requests int
				conns0 := srv.ConnectionsAccepted()
				b.ResetTimer()
				for range b.N {
					srv.ResetRequests()
					n := 0
					for a, err := range c.WalkArtifacts(b.Context(), &harbor.WalkOptions{Reports: harbor.ReportGeneric, Concurrency: workers}) {
						if err != nil {
							b.Fatal(err)
						}
						if a.Report == nil {
							b.Fatal("no report")
						}
						n++
						if n%500 == 0 {
							b.StopTimer()
							requests += len(srv.Requests())
							srv.ResetRequests()
							runtime.GC()
							runtime.ReadMemStats(&ms)
							peak = max(peak, ms.HeapAlloc)
							b.StartTimer()
						}
					}
					if n != repos*10 {
						b.Fatalf("walked %d artifacts, want %d", n, repos*10)
					}
					requests += len(srv.Requests())
				}
				b.StopTimer()
				b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
				b.ReportMetric(float64(srv.ConnectionsAccepted()-conns0), "conns")
				b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "live-MB")
			})
		}
		srv.Close()
	}
}

// Harbor leaves an index's untagged children out of listings (and so out
// of the walk); the index's References reach them, and GetArtifact reads
// one.
func TestWalkArtifactsIndexChildrenThroughReferences(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("p", false)
	amd, arm := "sha256:"+strings.Repeat("a1", 32), "sha256:"+strings.Repeat("b2", 32)
	srv.AddArtifact("p", "multi", amd)
	srv.AddArtifact("p", "multi", arm)
	index := fmt.Sprintf(`{"digest":"sha256:%s","type":"IMAGE","media_type":"application/vnd.oci.image.index.v1+json",
		"manifest_media_type":"application/vnd.oci.image.index.v1+json","tags":[{"name":"1.0"}],
		"references":[{"child_digest":%q,"platform":{"architecture":"amd64","os":"linux"}},
		              {"child_digest":%q,"platform":{"architecture":"arm64","os":"linux"}}]}`, strings.Repeat("c3", 32), amd, arm)
	require.NoError(t, srv.AddArtifactJSON("p", "multi", []byte(index)))
	srv.AddImage("p", "multi", "solo") // a plain image: listed

	items, errs := collect(t, admin.WalkArtifacts(t.Context(), &harbor.WalkOptions{Projects: []string{"p"}}))
	require.Empty(t, errs)
	assert.Equal(t, []string{"p/multi:1.0", "p/multi:solo"}, refs(items), "the children are not listed")
	var children []string
	for _, a := range items {
		for _, r := range a.Artifact.References {
			child, err := admin.GetArtifact(t.Context(), a.Project, a.Repository, r.ChildDigest)
			require.NoError(t, err)
			children = append(children, child.Digest()+" "+r.Platform.Architecture)
		}
	}
	assert.ElementsMatch(t, []string{amd + " amd64", arm + " arm64"}, children)
}
