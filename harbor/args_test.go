package harbor_test

import (
	"context"
	"fmt"
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
		{harbor.Concurrent(0), "Concurrent(0): workers must be 1 to 64"},
		{harbor.Concurrent(-3), "Concurrent(-3)"},
		{harbor.Concurrent(65), "Concurrent(65)"},
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
