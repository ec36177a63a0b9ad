package harbor_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/artifact"
	"github.com/harborkit/harbor-sdk-go/gen/client/auditlog"
	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/repository"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/harbor"
)

// All over five list operations of the in-memory Harbor, whose Link and
// X-Total-Count headers follow the recorded ones, for totals of 0, 1, one
// page, one page + 1, sequential and concurrent.
func TestAllAgainstHarbortest(t *testing.T) {
	const pageSize = 10
	for _, total := range []int{0, 1, pageSize, pageSize + 1, 3*pageSize + 7} {
		t.Run(fmt.Sprint(total), func(t *testing.T) {
			srv, admin := newServer(t)
			ctx := t.Context()
			srv.AddProject("p", false)
			for i := range total {
				srv.AddRepository("p", fmt.Sprintf("team/app-%03d", i))
				srv.AddArtifact("p", "team/app-000", fmt.Sprintf("sha256:%064d", i))
				srv.AddAuditLog("create", fmt.Sprintf("p/app-%d", i), "repository", "admin")
				_, err := admin.CreateRobot(ctx, projectCreator(fmt.Sprintf("bot-%03d", i)))
				require.NoError(t, err)
			}
			if total == 0 {
				srv.AddRepository("p", "team/app-000") // artifacts need a repository
			}
			srv.AddProjects(total)

			count := func(name string, seq func(func(any, error) bool)) int {
				n := 0
				for _, err := range seq {
					require.NoError(t, err, name)
					n++
				}
				return n
			}
			for _, opts := range [][]harbor.ListOption{{harbor.PageSize(pageSize)}, {harbor.PageSize(pageSize), harbor.Concurrency(3)}} {
				assert.Equal(t, total+2, count("projects", anySeq(harbor.All(ctx, admin.API().Project.ListProjects, project.NewListProjectsParams(), opts...))),
					"projects: library, p and %d more", total)
				assert.Equal(t, total, count("robots", anySeq(harbor.All(ctx, admin.API().Robot.ListRobot, robot.NewListRobotParams(), opts...))))
				assert.Equal(t, max(total, 1), count("repositories", anySeq(harbor.All(ctx, admin.API().Repository.ListRepositories,
					repository.NewListRepositoriesParams().WithProjectName("p"), opts...))))
				assert.Equal(t, total, count("artifacts", anySeq(harbor.All(ctx, admin.API().Artifact.ListArtifacts,
					artifact.NewListArtifactsParams().WithProjectName("p").WithRepositoryName(harbor.EscapeRepositoryName("team/app-000")), opts...))))
				assert.Equal(t, total, count("audit logs", anySeq(harbor.All(ctx, admin.API().Auditlog.ListAuditLogs, auditlog.NewListAuditLogsParams(), opts...))))
			}
		})
	}
}

func anySeq[T any](seq func(func(T, error) bool)) func(func(any, error) bool) {
	return func(yield func(any, error) bool) {
		for v, err := range seq {
			if !yield(v, err) {
				return
			}
		}
	}
}
