package interop_test

// The facade against goharbor/go-client v0.213.1, side by side in one test
// binary, on the fixed answers of internal/bench (a page of 100 projects,
// a robot creation). BENCHMARKS.md records the benchstat table:
//
//	cd internal/interop && go test -run '^$' -bench . -benchtime 200x -count 10 | tee /tmp/cmp.txt
//	go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da -col /impl /tmp/cmp.txt
//
// -count runs every benchmark once per round, so the two contenders
// alternate in time. Nothing here asserts a duration.

import (
	"context"
	"net/url"
	"testing"

	httptransport "github.com/go-openapi/runtime/client"
	goharbor "github.com/goharbor/go-client/pkg/harbor"
	v2client "github.com/goharbor/go-client/pkg/sdk/v2.0/client"
	gcproject "github.com/goharbor/go-client/pkg/sdk/v2.0/client/project"
	gcrobot "github.com/goharbor/go-client/pkg/sdk/v2.0/client/robot"
	gcmodels "github.com/goharbor/go-client/pkg/sdk/v2.0/models"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/internal/bench"
)

// contenders returns go-client's API and the facade for srv, both with
// basic auth, as a user builds them.
func contenders(b *testing.B, srv *bench.Server) (*v2client.HarborAPI, *harbor.Client) {
	u, err := url.Parse(srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	gc := v2client.New((&goharbor.Config{URL: u, AuthInfo: httptransport.BasicAuth("admin", "Harbor12345")}).ToV2Config())
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "Harbor12345"))
	if err != nil {
		b.Fatal(err)
	}
	return gc, c
}

// BenchmarkListProjects is one GET /projects answering a page of 100
// projects; chunked=true sends it as Harbor sends its pages.
func BenchmarkListProjects(b *testing.B) {
	for _, chunked := range []bool{false, true} {
		name := "chunked=false"
		if chunked {
			name = "chunked=true"
		}
		b.Run(name, func(b *testing.B) {
			srv := bench.NewServer(chunked)
			defer srv.Close()
			gc, c := contenders(b, srv)
			ctx := context.Background()
			b.Run("impl=goclient", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					res, err := gc.Project.ListProjects(ctx, gcproject.NewListProjectsParams())
					if err != nil || len(res.Payload) != bench.PageSize {
						b.Fatalf("go-client: %v", err)
					}
				}
			})
			b.Run("impl=facade", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					res, err := c.API().Project.ListProjects(ctx, project.NewListProjectsParams())
					if err != nil || len(res.Payload) != bench.PageSize {
						b.Fatalf("facade: %v", err)
					}
				}
			})
		})
	}
}

// BenchmarkCreateRobot is one POST /robots answered 201 with the robot and
// its secret: go-client's operation, the same operation through the facade
// (c.API()), and the facade's CreateRobot helper, which also checks the
// robot and its options before sending it.
func BenchmarkCreateRobot(b *testing.B) {
	srv := bench.NewServer(false)
	defer srv.Close()
	gc, c := contenders(b, srv)
	ctx := context.Background()
	b.Run("impl=goclient", func(b *testing.B) {
		rc := &gcmodels.RobotCreate{Name: "bench", Level: "system", Duration: 30, Permissions: []*gcmodels.RobotPermission{{
			Kind: "system", Namespace: "/",
			Access: []*gcmodels.Access{{Resource: "project", Action: "list"}, {Resource: "repository", Action: "pull"}},
		}}}
		b.ReportAllocs()
		for b.Loop() {
			res, err := gc.Robot.CreateRobot(ctx, gcrobot.NewCreateRobotParams().WithRobot(rc))
			if err != nil || res.Payload.Secret == "" {
				b.Fatalf("go-client: %v", err)
			}
		}
	})
	b.Run("impl=facade-api", func(b *testing.B) {
		rc := harbor.SystemRobot("bench", 30, harbor.Allow("project", "list"), harbor.Allow("repository", "pull"))
		b.ReportAllocs()
		for b.Loop() {
			res, err := c.API().Robot.CreateRobot(ctx, robot.NewCreateRobotParams().WithRobot(rc))
			if err != nil || res.Payload.Secret == "" {
				b.Fatalf("facade: %v", err)
			}
		}
	})
	b.Run("impl=facade", func(b *testing.B) {
		rc := harbor.SystemRobot("bench", 30, harbor.Allow("project", "list"), harbor.Allow("repository", "pull"))
		b.ReportAllocs()
		for b.Loop() {
			r, err := c.CreateRobot(ctx, rc)
			if err != nil || r.Secret == "" {
				b.Fatalf("facade: %v", err)
			}
		}
	})
}
