package harbor_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/harborkit/harbor-sdk-go/gen/client/artifact"
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
)

func ExampleClient_EnsureProject() {
	srv, c := exampleRegistry()
	defer srv.Close()
	ctx := context.Background()

	for range 2 { // safe to run twice: the second run finds it
		p, created, err := c.EnsureProject(ctx, &models.ProjectReq{ProjectName: "ci", Public: harbor.Ptr(false)})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p.Name, "created:", created)
	}
	// Output:
	// ci created: true
	// ci created: false
}

func ExampleClient_DeleteProject() {
	srv, c := exampleRegistry()
	defer srv.Close()
	ctx := context.Background()

	err := c.DeleteProject(ctx, "shop", harbor.OnlyIfEmpty)
	fmt.Println(errors.Is(err, harbor.ErrPreconditionFailed)) // it holds team/web
	fmt.Println(c.DeleteProject(ctx, "shop", harbor.WithRepositories))
	// Output:
	// true
	// <nil>
}

func ExampleClient_GetArtifact() {
	srv, c := exampleRegistry()
	defer srv.Close()
	ctx := context.Background()

	// A nested repository, named as Harbor shows it: no escaping by hand.
	a, err := c.GetArtifact(ctx, "shop", "team/web", "1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Tags(), a.Scan.Status, "critical:", a.Scan.Counts[harbor.SeverityCritical])
	// Output:
	// [1] Success critical: 1
}

func ExampleClient_DeleteArtifact() {
	srv, c := exampleRegistry()
	defer srv.Close()
	ctx := context.Background()

	fmt.Println(c.DeleteArtifact(ctx, "shop", "team/web", "3"))
	_, err := c.GetArtifact(ctx, "shop", "team/web", "3")
	fmt.Println(errors.Is(err, harbor.ErrNotFound))
	// Output:
	// <nil>
	// true
}

func ExampleClient_DeleteUntaggedArtifact() {
	srv, c := exampleRegistry()
	defer srv.Close()
	ctx := context.Background()
	a, _ := c.GetArtifact(ctx, "shop", "team/web", "2")

	err := c.DeleteUntaggedArtifact(ctx, "shop", "team/web", a.Digest())
	fmt.Println(errors.Is(err, harbor.ErrArtifactTagged)) // tagged "2": kept
	// Untag it with the generated DeleteTag, then it goes.
	_, err = c.API().Artifact.DeleteTag(ctx, artifact.NewDeleteTagParams().WithProjectName("shop").
		WithRepositoryName(harbor.EscapeRepositoryName("team/web")).WithReference(a.Digest()).WithTagName("2"))
	fmt.Println(err)
	fmt.Println(c.DeleteUntaggedArtifact(ctx, "shop", "team/web", a.Digest()))
	// Output:
	// true
	// <nil>
	// <nil>
}

func ExampleClient_DeleteRobot() {
	srv, c := exampleRegistry()
	defer srv.Close()
	ctx := context.Background()
	if _, err := c.CreateRobot(ctx, harbor.ProjectRobot("shop", "ci", 7, harbor.CIAccess()...)); err != nil {
		fmt.Println(err)
		return
	}

	name := c.ProjectRobotName(ctx, "shop", "ci") // the server's prefix, e.g. robot$shop+ci
	fmt.Println(name, c.DeleteRobot(ctx, name))
	// Output:
	// robot$shop+ci <nil>
}

func ExampleCIAccess() {
	for _, a := range harbor.CIAccess() {
		fmt.Print(a.Resource, ":", a.Action, " ")
	}
	fmt.Println()
	// Output:
	// repository:push repository:pull artifact:list artifact:read scan:create artifact-addition:read
}

func ExampleWalkOptions_progress() {
	srv, c := exampleRegistry()
	defer srv.Close()
	ctx := context.Background()

	var line string
	opts := &harbor.WalkOptions{Progress: func(p harbor.WalkProgress) {
		line = fmt.Sprintf("artifacts %d/%d", p.Artifacts, p.ArtifactsTotal) // e.g. "\r"+line on stderr
	}}
	var tags []string
	for a, err := range c.WalkArtifacts(ctx, opts) {
		if err != nil {
			fmt.Println(err)
			continue
		}
		tags = append(tags, strings.Join(a.Tags(), ","))
	}
	fmt.Println(tags, line)
	// Output:
	// [3 2 1] artifacts 3/3
}

func ExampleClient_ProjectRobotName() {
	srv, c := exampleRegistry()
	defer srv.Close()
	// The prefix is the server's robot_name_prefix (read once), or
	// WithRobotNamePrefix's.
	fmt.Println(c.ProjectRobotName(context.Background(), "shop", "ci"))
	// Output:
	// robot$shop+ci
}

func ExamplePtr() {
	// The generated parameters take pointers for optional values.
	params := artifact.NewListArtifactsParams().WithProjectName("shop").
		WithRepositoryName(harbor.EscapeRepositoryName("team/web")).
		WithWithTag(harbor.Ptr(true)).WithPageSize(harbor.Ptr(int64(10)))
	fmt.Println(*params.WithTag, *params.PageSize)
	// Output:
	// true 10
}
