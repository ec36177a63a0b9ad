package harbor_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
)

// A nil context is a caller's mistake: every facade method refuses it with
// an error naming the method and the argument, before any request.
func TestNilContextRefusedBeforeAnyRequest(t *testing.T) {
	srv, admin := newServer(t)
	var nilCtx context.Context // a variable, so vet and staticcheck let the test pass nil
	path := filepath.Join(t.TempDir(), "robot.json")
	calls := map[string]func() error{
		"CreateRobot": func() error {
			_, err := admin.CreateRobot(nilCtx, projectCreator("bot"), harbor.SaveCredentials(path))
			return err
		},
		"FindRobot": func() error { _, err := admin.FindRobot(nilCtx, "bot"); return err },
		"RefreshRobotSecret": func() error {
			_, err := admin.RefreshRobotSecret(nilCtx, 1, "")
			return err
		},
		"RotateCredentialsFile": func() error {
			_, err := admin.RotateCredentialsFile(nilCtx, path, "")
			return err
		},
		"RobotPermissions": func() error { _, err := admin.RobotPermissions(nilCtx); return err },
		"Ping":             func() error { return admin.Ping(nilCtx) },
		"Whoami":           func() error { _, err := admin.Whoami(nilCtx); return err },
		"All": func() error {
			for _, err := range harbor.All(nilCtx, admin.API().Project.ListProjects, project.NewListProjectsParams()) {
				return err
			}
			return nil
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			srv.ResetRequests()
			var err error
			require.NotPanics(t, func() { err = call() })
			require.Error(t, err)
			assert.Equal(t, "harbor: "+name+": ctx is nil (use context.Background() or context.TODO())", err.Error())
			assert.Empty(t, srv.Requests(), "no request may be sent")
		})
	}
	srv.ResetRequests()
	var nilOp func(context.Context, *project.ListProjectsParams) (*project.ListProjectsOK, error)
	var errs []error
	for _, err := range harbor.All(t.Context(), nilOp, project.NewListProjectsParams()) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.EqualError(t, errs[0], "harbor: All: op is nil: pass a generated list operation, e.g. c.API().Project.ListProjects")
	_, err := admin.RefreshRobotSecret(t.Context(), 0, "")
	assert.EqualError(t, err, "harbor: RefreshRobotSecret: robot id 0 is not a Harbor id (1 or more)")
	assert.Empty(t, srv.Requests())
	assert.Equal(t, harbor.DefaultRobotNamePrefix, admin.RobotNamePrefix(nilCtx), "nothing asked: the default")
	assert.Empty(t, srv.Requests())
	assert.Empty(t, srv.Robots())
}

// A nil ListOption or RobotOption is skipped, as NewClient skips a nil Option.
func TestNilOptionsAreSkipped(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProjects(3)
	n := 0
	for _, err := range harbor.All(t.Context(), admin.API().Project.ListProjects, project.NewListProjectsParams(),
		nil, harbor.PageSize(2), nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 4, n, "library and 3 more, over two pages")

	path := filepath.Join(t.TempDir(), "robot.json")
	created, err := admin.CreateRobot(t.Context(), projectCreator("bot"), nil, harbor.SaveCredentials(path), nil)
	require.NoError(t, err)
	assert.FileExists(t, path)
	assert.NotEmpty(t, created.Secret)
}

// ListOption values are checked like Option values: a bad one is an error
// that names it, yielded once before any request, never clamped.
func TestBadListOptionsRefusedBeforeAnyRequest(t *testing.T) {
	srv, admin := newServer(t)
	cases := []struct {
		opt  harbor.ListOption
		says string
	}{
		{harbor.Concurrency(0), "Concurrency(0): workers must be 1 to 64"},
		{harbor.Concurrency(-3), "Concurrency(-3)"},
		{harbor.Concurrency(65), "Concurrency(65)"},
		{harbor.PageSize(1000), "PageSize(1000): the page size must be 1 to 100"},
		{harbor.PageSize(0), "PageSize(0)"},
		{harbor.PageSize(-1), "PageSize(-1)"},
		{harbor.Limit(-1), "Limit(-1): the limit must be at least 1"},
		{harbor.Limit(0), "Limit(0)"},
	}
	for _, tc := range cases {
		t.Run(tc.says, func(t *testing.T) {
			srv.ResetRequests()
			var errs []error
			items := 0
			for _, err := range harbor.All(t.Context(), admin.API().Project.ListProjects, project.NewListProjectsParams(),
				harbor.PageSize(10), tc.opt) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				items++
			}
			require.Len(t, errs, 1)
			assert.Equal(t, "harbor: All: "+tc.says, errs[0].Error()[:len("harbor: All: ")+len(tc.says)])
			assert.Zero(t, items)
			assert.Empty(t, srv.Requests())
		})
	}
}

// RobotOption values are checked before any request: no robot is created.
func TestBadRobotOptionsRefusedBeforeAnyRequest(t *testing.T) {
	srv, admin := newServer(t)
	cases := []struct {
		opts []harbor.RobotOption
		says string
	}{
		{[]harbor.RobotOption{harbor.SaveCredentials("")}, "harbor: CreateRobot: SaveCredentials: path is empty"},
		{[]harbor.RobotOption{harbor.OverwriteCredentials()}, "harbor: CreateRobot: OverwriteCredentials without SaveCredentials"},
		{[]harbor.RobotOption{harbor.SaveCredentials("x.json"), harbor.SaveCredentials("")}, "SaveCredentials: path is empty"},
	}
	for i, tc := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			srv.ResetRequests()
			created, err := admin.CreateRobot(t.Context(), projectCreator("bot"), tc.opts...)
			require.Error(t, err)
			assert.Nil(t, created)
			assert.Contains(t, err.Error(), tc.says)
			assert.Empty(t, srv.Requests())
		})
	}
	assert.Empty(t, srv.Robots())
}

// Helpers given nil do not panic: a documented nil result or an error.
func TestNilArgumentsDoNotPanic(t *testing.T) {
	require.NotPanics(t, func() {
		assert.Nil(t, harbor.RobotCredentials(nil, nil))
		cred := harbor.RobotCredentials(nil, &models.RobotCreated{ID: 3, Name: "robot$x", Secret: "S3cret123"})
		require.NotNil(t, cred)
		assert.Equal(t, "robot$x", cred.Name)
		assert.Nil(t, cred.Permissions)

		var pc *harbor.PermissionCatalogue
		assert.False(t, pc.Allows(harbor.KindSystem, harbor.ResourceProject, harbor.ActionCreate))
		assert.ErrorIs(t, (&harbor.PermissionCatalogue{}).Check(nil), harbor.ErrInvalidRobot)
		assert.ErrorIs(t, harbor.ValidateRobot(nil), harbor.ErrInvalidRobot)
	})
}

// Every facade helper and a call through API(): a nil context is an error
// naming the context, before any request; none panics.
func TestNilContextRefusedByEveryHelper(t *testing.T) {
	srv, admin := newServer(t)
	var nilCtx context.Context
	calls := map[string]func() error{
		"Ping":               func() error { return admin.Ping(nilCtx) },
		"Whoami":             func() error { _, err := admin.Whoami(nilCtx); return err },
		"ServerVersion":      func() error { _, err := admin.ServerVersion(nilCtx); return err },
		"CheckCompatibility": func() error { _, err := admin.CheckCompatibility(nilCtx); return err },
		"ArtifactAddition": func() error {
			_, err := admin.ArtifactAddition(nilCtx, "p", "r", "latest", "build_history")
			return err
		},
		"VulnerabilitiesAddition": func() error {
			_, err := admin.VulnerabilitiesAddition(nilCtx, "p", "r", "latest", "")
			return err
		},
		"API": func() error {
			_, err := admin.API().Project.ListProjects(nilCtx, project.NewListProjectsParams())
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			srv.ResetRequests()
			var err error
			require.NotPanics(t, func() { err = call() })
			require.Error(t, err)
			assert.Contains(t, err.Error(), "ctx")
			assert.Contains(t, err.Error(), "nil")
			assert.Empty(t, srv.Requests(), "no request may be sent")
		})
	}
}

// Empty or impossible arguments are refused with an error naming them,
// before any request that would name another resource (an empty path
// segment) or change Harbor's query.
func TestBadArgumentsRefusedBeforeTheRequest(t *testing.T) {
	srv, admin := newServer(t)
	ctx := t.Context()
	cases := []struct {
		name string
		call func() error
		want string
		sent int // requests allowed first (FindRobot reads the name prefix)
	}{
		{"CreateRobot nil", func() error { _, err := admin.CreateRobot(ctx, nil); return err },
			"harbor: CreateRobot: invalid robot: the robot description is nil", 0},
		{"FindRobot empty", func() error { _, err := admin.FindRobot(ctx, ""); return err },
			"harbor: FindRobot: name is empty", 0},
		{"FindRobot query syntax", func() error { _, err := admin.FindRobot(ctx, "a,Level=project"); return err },
			`harbor: FindRobot: name "a,Level=project" holds "," or "=" (no robot name does)`, 0},
		{"FindRobot only the prefix", func() error { _, err := admin.FindRobot(ctx, "robot$"); return err },
			`harbor: FindRobot: name "robot$" is only the prefix "robot$"`, 1},
		{"RotateCredentialsFile empty path", func() error { _, err := admin.RotateCredentialsFile(ctx, "", ""); return err },
			"harbor: RotateCredentialsFile: path is empty", 0},
		{"ArtifactAddition project", func() error { _, err := admin.ArtifactAddition(ctx, "", "r", "latest", "sbom"); return err },
			"harbor: ArtifactAddition: projectName is empty", 0},
		{"ArtifactAddition repository", func() error { _, err := admin.ArtifactAddition(ctx, "p", "", "latest", "sbom"); return err },
			"harbor: ArtifactAddition: repositoryName is empty", 0},
		{"ArtifactAddition reference", func() error { _, err := admin.ArtifactAddition(ctx, "p", "r", "", "sbom"); return err },
			"harbor: ArtifactAddition: reference is empty", 0},
		{"ArtifactAddition addition", func() error { _, err := admin.ArtifactAddition(ctx, "p", "r", "latest", ""); return err },
			"harbor: ArtifactAddition: addition is empty", 0},
		{"VulnerabilitiesAddition project", func() error { _, err := admin.VulnerabilitiesAddition(ctx, "", "r", "latest", ""); return err },
			"harbor: VulnerabilitiesAddition: projectName is empty", 0},
		{"VulnerabilitiesAddition reference", func() error { _, err := admin.VulnerabilitiesAddition(ctx, "p", "r", "", ""); return err },
			"harbor: VulnerabilitiesAddition: reference is empty", 0},
		{"RefreshRobotSecret id", func() error { _, err := admin.RefreshRobotSecret(ctx, -1, ""); return err },
			"harbor: RefreshRobotSecret: robot id -1 is not a Harbor id (1 or more)", 0},
		// Dot segments go on the wire unescaped: a proxy cleaning the path
		// would send the request elsewhere.
		{"ArtifactAddition project dot segment", func() error { _, err := admin.ArtifactAddition(ctx, "..", "r", "latest", "sbom"); return err },
			`harbor: ArtifactAddition: projectName ".." is a dot segment: it would name another path`, 0},
		{"ArtifactAddition addition dot segment", func() error { _, err := admin.ArtifactAddition(ctx, "p", "r", "latest", "."); return err },
			`harbor: ArtifactAddition: addition "." is a dot segment: it would name another path`, 0},
		{"VulnerabilitiesAddition reference dot segment", func() error { _, err := admin.VulnerabilitiesAddition(ctx, "p", "r", "..", ""); return err },
			`harbor: VulnerabilitiesAddition: reference ".." is a dot segment: it would name another path`, 0},
		{"VulnerabilityReport repository dot segment", func() error { _, err := admin.VulnerabilityReport(ctx, "p", "..", "latest", ""); return err },
			`harbor: VulnerabilityReport: repository name ".." is a dot segment: it would name another path`, 0},
		{"ScanArtifact reference dot segment", func() error { return admin.ScanArtifact(ctx, "p", "r", "..") },
			`harbor: ScanArtifact: reference ".." is a dot segment: it would name another path`, 0},
		{"WaitForScan project dot segment", func() error { _, err := admin.WaitForScan(ctx, ".", "r", "latest", harbor.ReportGeneric); return err },
			`harbor: WaitForScan: project name "." is a dot segment: it would name another path`, 0},
		{"FindRobot project dot segment", func() error { _, err := admin.FindRobot(ctx, "robot$..+ci"); return err },
			`harbor: FindRobot: project name ".." is a dot segment: it would name another path`, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv.ResetRequests()
			var err error
			require.NotPanics(t, func() { err = tc.call() })
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			assert.LessOrEqual(t, len(apiRequests(srv)), tc.sent)
		})
	}
}

// params.HTTPClient would bypass the client's credentials, retries and
// error conversion: it is refused before any request, naming the field.
func TestParamsHTTPClientRefused(t *testing.T) {
	srv, admin := newServer(t)
	srv.ResetRequests()
	_, err := admin.API().Project.ListProjects(t.Context(),
		project.NewListProjectsParams().WithHTTPClient(http.DefaultClient))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "params.HTTPClient is not supported")
	assert.Contains(t, err.Error(), "harbor.WithHTTPClient")
	assert.Empty(t, srv.Requests())
}
