package harbor_test

// The benchmark suite of BENCHMARKS.md; internal/bench/run.sh runs it and
// prints benchstat tables. Nothing here asserts a duration: the checks
// only make sure each contender did the work it is timed for.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-openapi/strfmt"

	"github.com/harborkit/harbor-sdk-go/gen/client"
	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/client/scanner"
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/harborkit/harbor-sdk-go/internal/bench"
)

func newRawClient(tb testing.TB, apiURL string) *client.HarborAPI {
	tb.Helper()
	u, err := url.Parse(apiURL)
	if err != nil {
		tb.Fatal(err)
	}
	return client.New(client.Config{URL: u})
}

func newFacade(tb testing.TB, rawURL string, opts ...harbor.Option) *harbor.Client {
	tb.Helper()
	c, err := harbor.NewClient(rawURL, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// BenchmarkListProjects is one GET /projects answering a page of 100
// projects (Content-Length set), decoded by each contender.
func BenchmarkListProjects(b *testing.B) {
	srv := bench.NewServer(false)
	defer srv.Close()
	ctx := context.Background()

	b.Run("impl=baseline", func(b *testing.B) {
		bl := bench.NewBaseline(srv.APIURL)
		defer bl.CloseIdleConnections()
		measure(b, func() {
			ps, err := bl.ListProjects(ctx)
			if err != nil || len(ps) != bench.PageSize {
				b.Fatalf("baseline: %d projects, %v", len(ps), err)
			}
		})
	})
	b.Run("impl=raw", func(b *testing.B) {
		api := newRawClient(b, srv.APIURL)
		measure(b, func() {
			res, err := api.Project.ListProjects(ctx, project.NewListProjectsParams())
			if err != nil || len(res.Payload) != bench.PageSize {
				b.Fatalf("raw: %v", err)
			}
		})
	})
	b.Run("impl=facade", func(b *testing.B) {
		c := newFacade(b, srv.URL)
		measure(b, func() {
			res, err := c.API().Project.ListProjects(ctx, project.NewListProjectsParams())
			if err != nil || len(res.Payload) != bench.PageSize {
				b.Fatalf("facade: %v", err)
			}
		})
	})
}

func benchRobot() *models.RobotCreate {
	return harbor.SystemRobot("bench", 30, harbor.Allow("project", "list"), harbor.Allow("repository", "pull"))
}

// BenchmarkCreateRobot is one POST /robots answered 201 with a robot and
// its secret; the facade validates the robot first.
func BenchmarkCreateRobot(b *testing.B) {
	srv := bench.NewServer(false)
	defer srv.Close()
	ctx := context.Background()

	b.Run("impl=baseline", func(b *testing.B) {
		bl := bench.NewBaseline(srv.APIURL)
		defer bl.CloseIdleConnections()
		rc := &bench.RobotCreate{Name: "bench", Level: "system", Duration: 30, Permissions: []bench.RobotPermission{{
			Kind: "system", Namespace: "/",
			Access: []bench.RobotAccess{{Resource: "project", Action: "list"}, {Resource: "repository", Action: "pull"}},
		}}}
		measure(b, func() {
			r, err := bl.CreateRobot(ctx, rc)
			if err != nil || r.Secret == "" {
				b.Fatalf("baseline: %v", err)
			}
		})
	})
	b.Run("impl=raw", func(b *testing.B) {
		api := newRawClient(b, srv.APIURL)
		rc := benchRobot()
		measure(b, func() {
			res, err := api.Robot.CreateRobot(ctx, robot.NewCreateRobotParams().WithRobot(rc))
			if err != nil || res.Payload.Secret == "" {
				b.Fatalf("raw: %v", err)
			}
		})
	})
	b.Run("impl=facade", func(b *testing.B) {
		c := newFacade(b, srv.URL)
		rc := benchRobot()
		measure(b, func() {
			r, err := c.CreateRobot(ctx, rc)
			if err != nil || r.Secret == "" {
				b.Fatalf("facade: %v", err)
			}
		})
	})
}

// BenchmarkConnections counts the TCP connections a contender opens for
// GET /projects answered chunked (no Content-Length), reported per 1,000
// calls. run.sh runs it with -benchtime=1000x.
func BenchmarkConnections(b *testing.B) {
	ctx := context.Background()
	run := func(b *testing.B, list func(apiURL, rawURL string) func() error) {
		srv := bench.NewServer(true)
		defer srv.Close()
		call := list(srv.APIURL, srv.URL)
		measure(b, func() {
			if err := call(); err != nil {
				b.Fatal(err)
			}
		})
		b.ReportMetric(float64(srv.ConnectionsAccepted())*1000/float64(b.N), "conns/1kcalls")
	}
	b.Run("impl=baseline", func(b *testing.B) {
		run(b, func(apiURL, _ string) func() error {
			bl := bench.NewBaseline(apiURL)
			b.Cleanup(bl.CloseIdleConnections)
			return func() error { _, err := bl.ListProjects(ctx); return err }
		})
	})
	b.Run("impl=raw", func(b *testing.B) {
		run(b, func(apiURL, _ string) func() error {
			api := newRawClient(b, apiURL)
			return func() error { _, err := api.Project.ListProjects(ctx, project.NewListProjectsParams()); return err }
		})
	})
	b.Run("impl=facade", func(b *testing.B) {
		run(b, func(_, rawURL string) func() error {
			c := newFacade(b, rawURL)
			return func() error {
				_, err := c.API().Project.ListProjects(ctx, project.NewListProjectsParams())
				return err
			}
		})
	})
}

var listAllSizes = []int{1000, 10000}

func listAllServer(b *testing.B, n int, latency time.Duration) (*harbortest.Server, *harbor.Client) {
	srv := harbortest.NewServer()
	srv.AddProjects(n - 1) // plus "library"
	srv.SetLatency(latency)
	return srv, newFacade(b, srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
}

// listAll lists every project of c with harbor.All and returns how many it saw.
func listAll(ctx context.Context, c *harbor.Client, opts []harbor.ListOption, each func(int)) (int, error) {
	n := 0
	for p, err := range harbor.All(ctx, c.API().Project.ListProjects, project.NewListProjectsParams(), opts...) {
		if err != nil {
			return n, err
		}
		if p == nil || p.Name == "" {
			return n, fmt.Errorf("project %d is empty", n)
		}
		n++
		if each != nil {
			each(n)
		}
	}
	return n, nil
}

var listModes = []struct {
	name string
	opts []harbor.ListOption
}{
	{"seq", nil},
	{"conc8", []harbor.ListOption{harbor.Concurrent(8)}},
	{"conc16", []harbor.ListOption{harbor.Concurrent(16)}},
}

// BenchmarkListAll lists every project (pages of 100) sequentially and
// with Concurrent(8), with 0 and 2 ms of latency injected per answer, from
// a harbortest server (server=harbortest) and from a server answering
// precomputed pages (server=fixed, which leaves both CPUs to the client).
// One op is the whole listing.
func BenchmarkListAll(b *testing.B) {
	ctx := context.Background()
	for _, server := range []string{"harbortest", "fixed"} {
		for _, n := range listAllSizes {
			for _, lat := range []time.Duration{0, 2 * time.Millisecond} {
				for _, m := range listModes {
					b.Run(fmt.Sprintf("server=%s/projects=%d/latency=%s/mode=%s", server, n, lat, m.name), func(b *testing.B) {
						var c *harbor.Client
						var conns func() int64
						reset := func() {}
						if server == "harbortest" {
							srv, hc := listAllServer(b, n, lat)
							defer srv.Close()
							c, reset = hc, srv.ResetRequests
							conns = func() int64 { return int64(srv.ConnectionsAccepted()) }
						} else {
							srv := bench.NewListServer(n, lat)
							defer srv.Close()
							c, conns = newFacade(b, srv.URL), srv.ConnectionsAccepted
						}
						measure(b, func() {
							got, err := listAll(ctx, c, m.opts, nil)
							if err != nil || got != n {
								b.Fatalf("listed %d of %d projects: %v", got, n, err)
							}
							reset()
						})
						b.ReportMetric(float64(conns())/float64(b.N), "conns/op")
					})
				}
			}
		}
	}
}

// BenchmarkListAllLiveHeap measures how much live heap a listing holds: it
// runs a GC and reads HeapAlloc before the listing and every 250 projects
// during it, and reports the largest growth as peak-live-B (the server's
// answers in flight included). 20,000 projects show where the concurrent
// listings level off (1,000 projects are only 10 pages, fewer than a
// Concurrent(16) window). Its ns/op is meaningless (the GCs); run.sh runs it
// with -benchtime=1x.
func BenchmarkListAllLiveHeap(b *testing.B) {
	ctx := context.Background()
	for _, n := range append(listAllSizes, 20000) {
		for _, m := range listModes {
			b.Run(fmt.Sprintf("projects=%d/mode=%s", n, m.name), func(b *testing.B) {
				srv, c := listAllServer(b, n, 0)
				defer srv.Close()
				var peak uint64
				heap := func() uint64 {
					var ms runtime.MemStats
					runtime.GC()
					runtime.ReadMemStats(&ms)
					return ms.HeapAlloc
				}
				for b.Loop() {
					srv.ResetRequests()
					before := heap()
					got, err := listAll(ctx, c, m.opts, func(i int) {
						if i%250 == 0 {
							if h := heap(); h > before && h-before > peak {
								peak = h - before
							}
						}
					})
					if err != nil || got != n {
						b.Fatalf("listed %d of %d projects: %v", got, n, err)
					}
				}
				b.ReportMetric(float64(peak), "peak-live-B")
			})
		}
	}
}

// measure times op in a b.Loop loop, with allocations and cpu-ns/op (the
// process's CPU time per op, which waiting for a busy CPU does not inflate).
func measure(b *testing.B, op func()) {
	b.ReportAllocs()
	cpu := bench.StartCPU()
	for b.Loop() {
		op()
	}
	cpu.Report(b, b.N)
}

// TestJSONConsumerMatchesGoOpenAPI checks that the facade's JSON consumer
// (harbor/consumers.go) decodes exactly what go-openapi's consumer in the
// raw generated client decodes, errors included.
func TestJSONConsumerMatchesGoOpenAPI(t *testing.T) {
	var body atomic.Pointer[string]
	mux := http.NewServeMux()
	serve := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, *body.Load())
	}
	mux.HandleFunc("GET /api/v2.0/projects", serve)
	mux.HandleFunc("GET /api/v2.0/scanners", serve)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	raw := newRawClient(t, srv.URL+"/api/v2.0")
	facade := newFacade(t, srv.URL)
	ctx := context.Background()

	times := []string{
		`"2026-11-26T21:30:21.147Z"`, `"0001-01-01T00:00:00.000Z"`, `"2026-11-26T21:30:21.147123Z"`,
		`"2026-11-26T21:30:21Z"`, `"2026-11-26T21:30:21.147+08:00"`, `"2026-11-26T21:30:21.147+0800"`,
		`"2026-11-26T21:30:21.1Z"`, `"2026-11-26T21:30:21.147123456Z"`, `null`, `""`,
		`"2026-11-26T21:30:21\u002e147Z"`, `"2026-13-26T21:30:21.147Z"`, `"2026-02-30T21:30:21.147Z"`,
		`"2026-11-26T24:30:21.147Z"`, `"2026-11-26 21:30:21"`, `"2026-11-26"`, `1798320643`, `"x"`,
		`"2024-02-29T00:00:00.000Z"`, `"2026-02-29T00:00:00.000Z"`, `"2100-02-29T12:00:00.000Z"`,
		`"2000-02-29T12:00:00.000Z"`, `"2026-04-31T00:00:00.000Z"`, `"2026-12-31T23:59:59.999Z"`,
		`"2026-00-10T00:00:00.000Z"`, `"2026-11-00T00:00:00.000Z"`, `"2026-11-32T00:00:00.000Z"`,
		`"2026-11-26T23:60:00.000Z"`, `"2026-11-26T23:59:60.000Z"`, `"0000-01-01T00:00:00.000Z"`,
		`"9999-12-31T23:59:59.999Z"`, `"2026-11-26T21:30:21.147z"`, `"2026-11-26t21:30:21.147Z"`,
		`"2026-11-26T21:30:21,147Z"`, `"+026-11-26T21:30:21.147Z"`, `"2026-1-026T21:30:21.147Z"`,
		`"2026-11-26T12:30:60.000Z"`, `"2026-11-26T12:60:00.000Z"`, `"2026-11-26T99:00:00.000Z"`,
	}
	var bodies []string
	for _, ts := range times {
		bodies = append(bodies, `[{"name":"a","creation_time":`+ts+`,"cve_allowlist":{"update_time":`+ts+`}}]`)
	}
	bodies = append(bodies, string(bench.ProjectsPage(100)), "", "  \n", "[]", "null",
		`[{"name":"a"}] trailing`, `[{"name":"a"}]{"x":1}`, `[{"name":1}]`, `[{"name":"a",`, `{"name":"a"}`,
		`[{"name":"a","metadata":{"public":"true","unknown":"x"},"repo_count":1e3}]`)

	check := func(t *testing.T, b string) {
		body.Store(&b)
		r1, err1 := raw.Project.ListProjects(ctx, project.NewListProjectsParams())
		r2, err2 := facade.API().Project.ListProjects(ctx, project.NewListProjectsParams())
		// The facade reports a body that does not decode as ErrUnexpectedContent
		// around the decoder's own error.
		if (err1 == nil) != (err2 == nil) || (err1 != nil && (!errors.Is(err2, harbor.ErrUnexpectedContent) || !strings.Contains(err2.Error(), err1.Error()))) {
			t.Fatalf("body %q: errors differ:\n raw:    %v\n facade: %v", b, err1, err2)
		}
		if err1 == nil && !reflect.DeepEqual(r1.Payload, r2.Payload) {
			t.Fatalf("body %q: payloads differ:\n raw:    %#v\n facade: %#v", b, r1.Payload, r2.Payload)
		}
	}
	for _, b := range bodies {
		check(t, b)
	}

	// Numbers in untyped fields stay json.Number.
	caps := `[{"name":"trivy","capabilities":{"n":1.50,"big":12345678901234567890,"list":[1,2]}}]`
	body.Store(&caps)
	s1, err1 := raw.Scanner.ListScanners(ctx, scanner.NewListScannersParams())
	s2, err2 := facade.API().Scanner.ListScanners(ctx, scanner.NewListScannersParams())
	if err1 != nil || err2 != nil || !reflect.DeepEqual(s1.Payload, s2.Payload) {
		t.Fatalf("scanners: raw %v %#v, facade %v %#v", err1, s1, err2, s2)
	}
	if n, ok := s2.Payload[0].Capabilities.(map[string]any)["n"].(json.Number); !ok || n != "1.50" {
		t.Fatalf("capabilities.n = %#v, want json.Number(\"1.50\")", s2.Payload[0].Capabilities)
	}

	// A changed strfmt.DateTimeFormats is honoured (the test changes the
	// global; the facade never does).
	saved := strfmt.DateTimeFormats
	defer func() { strfmt.DateTimeFormats = saved }()
	for _, formats := range [][]string{
		{strfmt.ISO8601TimeUniversalSortableDateTimePatternShortForm},
		{time.RFC3339, strfmt.RFC3339Millis},
		{strfmt.RFC3339Micro, strfmt.RFC3339MillisNoColon},
	} {
		strfmt.DateTimeFormats = formats
		for _, ts := range times[:8] {
			check(t, `[{"name":"a","creation_time":`+ts+`}]`)
		}
	}
}
