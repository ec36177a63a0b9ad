package harbor_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
)

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
		{"WaitForScan project dot segment", func() error { _, err := admin.WaitForScan(ctx, ".", "r", "latest"); return err },
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
			assert.LessOrEqual(t, len(srv.Requests()), tc.sent)
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
