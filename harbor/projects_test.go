package harbor_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func TestEnsureProjectCreatesThenFinds(t *testing.T) {
	srv, admin := newServer(t)
	srv.ResetRequests()
	p, created, err := admin.EnsureProject(t.Context(), &models.ProjectReq{ProjectName: "ci", Public: harbor.Ptr(true)})
	require.NoError(t, err)
	assert.True(t, created)
	assert.Equal(t, "ci", p.Name)
	assert.Equal(t, "true", p.Metadata.Public, "req's settings are sent")
	again, created, err := admin.EnsureProject(t.Context(), &models.ProjectReq{ProjectName: "ci"})
	require.NoError(t, err, "safe to run twice")
	assert.False(t, created)
	assert.Equal(t, p.ProjectID, again.ProjectID)
	var got []string
	for _, r := range apiRequests(srv) {
		got = append(got, r.Method+" "+r.Path)
	}
	assert.Equal(t, []string{"POST /api/v2.0/projects", "GET /api/v2.0/projects/ci", "POST /api/v2.0/projects", "GET /api/v2.0/projects/ci"}, got)
}

// Two creators at once: Harbor creates the project once and answers the
// other 409; both get the same project, and exactly one says it created it.
func TestEnsureProjectRace(t *testing.T) {
	srv, admin := newServer(t)
	other, err := admin.With()
	require.NoError(t, err)
	for i := range 10 {
		name := fmt.Sprintf("race%d", i)
		var wg sync.WaitGroup
		ids := make([]int32, 2)
		made := make([]bool, 2)
		for j, c := range []*harbor.Client{admin, other} {
			wg.Go(func() {
				p, created, err := c.EnsureProject(t.Context(), &models.ProjectReq{ProjectName: name})
				if assert.NoError(t, err) {
					ids[j], made[j] = p.ProjectID, created
				}
			})
		}
		wg.Wait()
		assert.Equal(t, ids[0], ids[1])
		assert.NotEqual(t, made[0], made[1], "exactly one created %s", name)
	}
	n := 0
	for _, p := range srv.Projects() {
		if len(p.Name) > 4 && p.Name[:4] == "race" {
			n++
		}
	}
	assert.Equal(t, 10, n)
}

// A POST whose answer is lost after Harbor created the project: the
// project is read, and returned without an error.
func TestEnsureProjectOutcomeUnknown(t *testing.T) {
	srv, admin := newServer(t)
	// A proxy passes the POST on to Harbor, which creates the project, and
	// drops the connection before any answer.
	lost := faultProxy(t, srv, map[string]http.HandlerFunc{"/api/v2.0/projects": func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			proxyTo(t, srv.URL).ServeHTTP(w, r)
			return
		}
		proxyTo(t, srv.URL).ServeHTTP(httptest.NewRecorder(), r)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}})
	p, created, err := lost.EnsureProject(t.Context(), &models.ProjectReq{ProjectName: "cut"})
	require.NoError(t, err)
	assert.False(t, created, "whether this call created it cannot be told")
	assert.Equal(t, "cut", p.Name)
	require.Len(t, srv.Projects(), 2, "library and cut")

	// A cut after the 201's status line: the project exists either way (the
	// SDK may or may not read the cut body of an answer without payload).
	srv.CutNext(1, harbortest.OnMethod(http.MethodPost), harbortest.OnPath("/api/v2.0/projects"), harbortest.AfterApply())
	p, _, err = admin.EnsureProject(t.Context(), &models.ProjectReq{ProjectName: "cut2"})
	require.NoError(t, err)
	assert.Equal(t, "cut2", p.Name)

	srv.CutNext(1, harbortest.OnMethod(http.MethodPost), harbortest.OnPath("/api/v2.0/projects")) // cut before Harbor acts: not created
	_, _, err = admin.EnsureProject(t.Context(), &models.ProjectReq{ProjectName: "never"})
	require.ErrorIs(t, err, harbor.ErrOutcomeUnknown)
	require.ErrorIs(t, err, harbor.ErrNotFound)
	assert.Regexp(t, `^harbor: EnsureProject: `, err.Error())

	// A proxy's HTML 502 on the POST: the outcome is unknown, so the project
	// is read; Harbor never got it here, so the error says both.
	srv.FailNext(1, http.StatusBadGateway, harbortest.OnMethod(http.MethodPost), harbortest.OnPath("/api/v2.0/projects"))
	_, created, err = admin.EnsureProject(t.Context(), &models.ProjectReq{ProjectName: "proxied"})
	require.ErrorIs(t, err, harbor.ErrOutcomeUnknown)
	require.ErrorIs(t, err, harbor.ErrServer)
	require.ErrorIs(t, err, harbor.ErrNotFound)
	assert.False(t, created)
}

func TestEnsureProjectBadInputBeforeAnyRequest(t *testing.T) {
	srv, admin := newServer(t)
	srv.ResetRequests()
	for req, want := range map[*models.ProjectReq]string{
		nil:                       "harbor: EnsureProject: req is nil",
		{}:                        `harbor: EnsureProject: project "": the project name is empty`,
		{ProjectName: "Team"}:     `harbor: EnsureProject: project "Team": a project name has only lower case`,
		{ProjectName: "team/app"}: `harbor: EnsureProject: project "team/app": a project name has no "/"`,
	} {
		_, _, err := admin.EnsureProject(t.Context(), req)
		require.Error(t, err)
		assert.Contains(t, err.Error(), want)
	}
	assert.Empty(t, srv.Requests())
}

func TestDeleteProject(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("gone", false)
	srv.AddImage("gone", "team/app", "1")
	srv.AddImage("gone", "web", "1")

	err := admin.DeleteProject(t.Context(), "gone", harbor.OnlyIfEmpty)
	require.ErrorIs(t, err, harbor.ErrPreconditionFailed, "Harbor's 412: the project holds repositories")
	assert.Contains(t, err.Error(), "harbor: DeleteProject: DELETE /api/v2.0/projects/gone: 412")
	assert.Contains(t, err.Error(), "pass harbor.WithRepositories")

	srv.ResetRequests()
	require.NoError(t, admin.DeleteProject(t.Context(), "gone", harbor.WithRepositories))
	var got []string
	for _, r := range srv.Requests() {
		got = append(got, r.Method+" "+r.Path)
	}
	// harbortest records the path decoded once: team%2Fapp was team%252Fapp on the wire.
	assert.ElementsMatch(t, []string{"GET /api/v2.0/projects/gone/repositories",
		"DELETE /api/v2.0/projects/gone/repositories/team%2Fapp", "DELETE /api/v2.0/projects/gone/repositories/web",
		"DELETE /api/v2.0/projects/gone"}, got)
	_, err = admin.API().Project.GetProject(t.Context(), project.NewGetProjectParams().WithProjectNameOrID("gone"))
	require.ErrorIs(t, err, harbor.ErrNotFound)

	err = admin.DeleteProject(t.Context(), "gone", harbor.OnlyIfEmpty)
	require.ErrorIs(t, err, harbor.ErrNotFound)
	srv.ResetRequests()
	require.ErrorContains(t, admin.DeleteProject(t.Context(), "x", harbor.ProjectDeletion(7)), "unknown ProjectDeletion 7")
	require.ErrorContains(t, admin.DeleteProject(t.Context(), "", harbor.WithRepositories), `harbor: DeleteProject: project "": the project name is empty`)
	assert.Empty(t, srv.Requests(), "bad input is refused before any request")
}

// A 403 names the access the helper needs, from the one table.
func TestHelperForbiddenNamesTheAccessItNeeds(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("p", false)
	srv.AddImage("p", "team/app", "1.0")
	created, err := admin.CreateRobot(t.Context(), harbor.ProjectRobot("p", "puller", 7,
		harbor.Allow(harbor.ResourceRepository, harbor.ActionPull), harbor.Allow(harbor.ResourceRepository, harbor.ActionPush)))
	require.NoError(t, err)
	bot, err := admin.With(harbor.WithBasicAuth(created.Name, created.Secret))
	require.NoError(t, err)

	_, err = bot.ScanAndWait(t.Context(), "p", "team/app", "1.0", harbor.ReportGeneric)
	require.ErrorIs(t, err, harbor.ErrForbidden)
	he, ok := harbor.AsError(err)
	require.True(t, ok, "errors.As still reaches *Error")
	assert.Equal(t, "/api/v2.0/projects/p/repositories/team%252Fapp/artifacts/1.0/scan", he.Path, "the path sent")
	assert.Equal(t, "harbor: ScanAndWait: POST /api/v2.0/projects/p/repositories/team%252Fapp/artifacts/1.0/scan: 403 Forbidden: "+
		he.Errors[0].Code+": "+he.Errors[0].Message+" (request id "+he.RequestID+") (ScanAndWait needs scan:create, artifact:read and artifact-addition:read (harbor.CIAccess has them))", err.Error())

	err = bot.DeleteProject(t.Context(), "p", harbor.WithRepositories)
	require.ErrorIs(t, err, harbor.ErrForbidden)
	assert.Contains(t, err.Error(), "(DeleteProject needs project:delete, and repository:list and repository:delete")
	_, _, err = bot.EnsureProject(t.Context(), &models.ProjectReq{ProjectName: "new"})
	require.ErrorIs(t, err, harbor.ErrForbidden)
	assert.Contains(t, err.Error(), "EnsureProject needs project:create")
	err = bot.DeleteArtifact(t.Context(), "p", "team/app", "1.0")
	require.ErrorIs(t, err, harbor.ErrForbidden)
	assert.Contains(t, err.Error(), "(DeleteArtifact needs artifact:delete)")

	_, err = admin.GetArtifact(t.Context(), "p", "team/app", "nope")
	require.ErrorIs(t, err, harbor.ErrNotFound)
	assert.NotContains(t, err.Error(), "needs", "only a 403 names the access")
}

// The CI robot of CIAccess does what CI does: scan and read reports.
func TestCIAccessRobotCanScan(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("ci", false)
	srv.AddImage("ci", "team/app", "1.0")
	rc := harbor.ProjectRobot("ci", "builder", 7, harbor.CIAccess()...)
	pc, err := admin.RobotPermissions(t.Context())
	require.NoError(t, err)
	require.NoError(t, pc.Check(rc), "every CIAccess entry is in Harbor's catalogue")
	created, err := admin.CreateRobot(t.Context(), rc)
	require.NoError(t, err)
	assert.Equal(t, admin.ProjectRobotName(t.Context(), "ci", "builder"), created.Name)
	bot, err := admin.With(harbor.WithBasicAuth(created.Name, created.Secret))
	require.NoError(t, err)
	srv.PlanScan("ci", "team/app", "1.0", harbortest.SampleVulnerabilities()[:2], 0)
	rep, err := bot.ScanAndWait(t.Context(), "ci", "team/app", "1.0", harbor.ReportGeneric, harbor.ScanPolling(1, 1))
	require.NoError(t, err)
	assert.Len(t, rep.Vulnerabilities, 2)
	a, err := bot.GetArtifact(t.Context(), "ci", "team/app", "1.0")
	require.NoError(t, err)
	assert.Equal(t, harbor.ScanStatusSuccess, a.Scan.Status)
	assert.Equal(t, 2, a.Scan.Counts.Total())
}

// An answer of "null" (a hostile or broken server) is never taken for a
// project or an untagged artifact: nothing is deleted on its word.
func TestLifecycleHelpersRefuseNullAnswers(t *testing.T) {
	var deletes atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost:
			w.WriteHeader(http.StatusCreated)
		case r.Method == http.MethodDelete:
			deletes.Add(1)
		case r.URL.Path == "/api/v2.0/robots":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`[{"name":"robot$x"}]`)) // no id
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte("null"))
		}
	}))
	t.Cleanup(srv.Close)
	c, err := harbor.NewClient(srv.URL, harbor.WithRobotNamePrefix("robot$"))
	require.NoError(t, err)
	p, created, err := c.EnsureProject(t.Context(), &models.ProjectReq{ProjectName: "p"})
	require.ErrorIs(t, err, harbor.ErrUnexpectedContent)
	assert.Nil(t, p)
	assert.True(t, created, "the POST was answered 201")
	err = c.DeleteUntaggedArtifact(t.Context(), "p", "team/app", "sha256:"+strings.Repeat("0", 64))
	require.ErrorIs(t, err, harbor.ErrUnexpectedContent)
	err = c.DeleteRobot(t.Context(), "robot$x")
	require.ErrorIs(t, err, harbor.ErrUnexpectedContent)
	assert.Zero(t, deletes.Load(), "nothing deleted on a null answer")
}

func proxyTo(t *testing.T, target string) *httputil.ReverseProxy {
	u, err := url.Parse(target)
	require.NoError(t, err)
	return httputil.NewSingleHostReverseProxy(u)
}
