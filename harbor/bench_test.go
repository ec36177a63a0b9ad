package harbor_test

// The benchmark suite of BENCHMARKS.md; internal/bench/run.sh runs it and
// prints benchstat tables. Nothing here asserts a duration: the checks
// only make sure each contender did the work it is timed for.

import (
	"context"
	"fmt"
	"net/url"
	"runtime"
	"testing"
	"time"

	"github.com/harborkit/harbor-sdk-go/gen/client"
	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
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
	{"conc8", []harbor.ListOption{harbor.Concurrency(8)}},
	{"conc16", []harbor.ListOption{harbor.Concurrency(16)}},
}

// BenchmarkListAll lists every project (pages of 100) sequentially and
// with Concurrency(8), with 0 and 2 ms of latency injected per answer, from
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
// Concurrency(16) window). Its ns/op is meaningless (the GCs); run.sh runs it
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
