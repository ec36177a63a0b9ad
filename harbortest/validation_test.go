package harbortest_test

import (
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// TestHelpersRefuseNonsense checks that seed and fault helpers panic at the
// call site with a message naming the bad argument, instead of accepting it
// or panicking later inside a handler.
func TestHelpersRefuseNonsense(t *testing.T) {
	srv := harbortest.New(t)
	cases := []struct {
		name string
		call func()
		want string // in the panic message
	}{
		{"FailNext n=0", func() { srv.FailNext(0, 503) }, "FailNext: n must be at least 1, got 0"},
		{"FailNext n=-1", func() { srv.FailNext(-1, 503) }, "n must be at least 1, got -1"},
		{"FailNext status 0", func() { srv.FailNext(1, 0) }, "status must be an HTTP error status (400-599), got 0"},
		{"FailNext status 99", func() { srv.FailNext(1, 99) }, "got 99"},
		{"FailNext status 1000", func() { srv.FailNext(1, 1000) }, "got 1000"},
		{"FailNext status -1", func() { srv.FailNext(1, -1) }, "got -1"},
		{"FailNext status 200", func() { srv.FailNext(1, 200) }, "got 200"},
		{"FailNext nil option", func() { srv.FailNext(1, 503, nil) }, "fault option 0 is nil"},
		{"CutNext n=0", func() { srv.CutNext(0) }, "CutNext: n must be at least 1, got 0"},
		{"OnPath relative", func() { harbortest.OnPath("api/v2.0") }, `OnPath: prefix "api/v2.0"`},
		{"OnMethod empty", func() { harbortest.OnMethod("") }, "OnMethod: method is empty"},
		{"WithRetryAfter empty", func() { harbortest.WithRetryAfter("") }, "WithRetryAfter: value is empty"},
		{"SetLatency negative", func() { srv.SetLatency(-1) }, "SetLatency: d must not be negative"},
		{"AddProjects -1", func() { srv.AddProjects(-1) }, "AddProjects: n must not be negative, got -1"},
		{"AddProject empty", func() { srv.AddProject("", false) }, `AddProject: name "" is not a valid project name`},
		{"AddProject upper case", func() { srv.AddProject("Team", false) }, `name "Team"`},
		{"AddProject taken", func() { srv.AddProject("library", false) }, `project "library" already exists`},
		{"AddUser empty", func() { srv.AddUser("", "Pass12345", false) }, `AddUser: username ""`},
		{"AddUser bad char", func() { srv.AddUser("a,b", "Pass12345", false) }, `username "a,b"`},
		{"AddUser no password", func() { srv.AddUser("bob", "", false) }, "AddUser: password is empty"},
		{"AddProjectMember role 0", func() { srv.AddProjectMember("library", "admin", 0) }, "role must be 1-5, got 0"},
		{"AddProjectMember no user", func() { srv.AddProjectMember("library", "nobody", 2) }, `user "nobody"`},
		{"AddRepository empty", func() { srv.AddRepository("library", "") }, `AddRepository: repository name ""`},
		{"AddRepository no project", func() { srv.AddRepository("nope", "app") }, `project "nope" does not exist`},
		{"AddArtifact bad digest", func() { srv.AddArtifact("library", "app", "sha256:abc") }, `AddArtifact: digest "sha256:abc"`},
		{"AddAuditLog empty", func() { srv.AddAuditLog("", "r", "repository", "admin") }, "AddAuditLog: operation"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assertPanicsNaming(t, c.call, c.want)
		})
	}
	// valid calls still work, and nothing above changed the server
	srv.FailNext(1, 503, harbortest.OnPath("/api/v2.0/ping"))
	srv.CutNext(1, harbortest.OnMethod("DELETE"))
	if ids := srv.AddProjects(0); len(ids) != 0 {
		t.Fatalf("AddProjects(0) = %v", ids)
	}
	if n := len(srv.Projects()); n != 1 {
		t.Fatalf("%d projects after refused calls, want 1 (library)", n)
	}
}
