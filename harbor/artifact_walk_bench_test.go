package harbor_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

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
					for a, err := range c.WalkArtifacts(b.Context(), harbor.WalkReports(harbor.ReportGeneric), harbor.WalkConcurrency(workers)) {
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
