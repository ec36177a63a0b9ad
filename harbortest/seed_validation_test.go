package harbortest_test

import (
	"strings"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// TestSeedHelpersRefuseNonsense covers the artifact and scan seed helpers
// that TestHelpersRefuseNonsense does not: zero and nil arguments panic at
// the call site naming the argument (or return an error, for the helpers
// that return one), and the server is unchanged and still serves.
func TestSeedHelpersRefuseNonsense(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("p", true)
	srv.AddImage("p", "app", "1.0")
	digest := "sha256:" + strings.Repeat("b", 64)
	panics := []struct {
		name string
		call func()
		want string
	}{
		{"AddImage empty repo", func() { srv.AddImage("p", "") }, `AddImage: repository name ""`},
		{"AddImage empty tag", func() { srv.AddImage("p", "app", "") }, `AddImage: tag name ""`},
		{"AddImage bad tag", func() { srv.AddImage("p", "app", "a/../b") }, `tag name "a/../b"`},
		{"AddChart empty repo", func() { srv.AddChart("p", "", harbortest.Chart{}) }, `AddChart: repository name ""`},
		{"AddChart bad version", func() { srv.AddChart("p", "c", harbortest.Chart{Version: "1 0"}) }, `AddChart: tag name "1 0"`},
		{"AddTag empty", func() { srv.AddTag("p", "app", "1.0", "") }, `AddTag: tag name ""`},
		{"SetScanner zero", func() { srv.SetScanner(harbortest.Scanner{}) }, "SetScanner: scanner name is empty"},
		{"SetScanDelay negative", func() { srv.SetScanDelay(-1) }, "SetScanDelay: delay must not be negative"},
		{"PlanScan negative", func() { srv.PlanScan("p", "app", "1.0", nil, -1) }, "PlanScan: delay must not be negative"},
		{"PlanScanFailure negative", func() { srv.PlanScanFailure("p", "app", "1.0", -1) }, "PlanScanFailure: delay"},
		{"SetReportJSON empty mime", func() { srv.SetReportJSON("p", "app", "1.0", "", []byte(`{}`)) }, `SetReportJSON: mimeType ""`},
		{"SetReportJSON nil report", func() { srv.SetReportJSON("p", "app", "1.0", "x", nil) }, "report must be JSON"},
	}
	for _, c := range panics {
		t.Run(c.name, func(t *testing.T) {
			assertPanicsNaming(t, c.call, c.want)
		})
	}
	errs := []struct {
		name string
		err  error
		want string
	}{
		{"AddArtifactJSON nil", srv.AddArtifactJSON("p", "app", nil), "AddArtifactJSON: unexpected end of JSON input"},
		{"AddArtifactJSON bad digest", srv.AddArtifactJSON("p", "app", []byte(`{"digest":"x"}`)), `digest "x" is not sha256`},
		{"AddArtifactJSON empty repo", srv.AddArtifactJSON("p", "", []byte(`{"digest":"`+digest+`"}`)), `repository name ""`},
		{"AddArtifactJSON empty tag", srv.AddArtifactJSON("p", "app", []byte(`{"digest":"`+digest+`","tags":[{"name":""}]}`)), `tag name ""`},
		{"AddAccessoryJSON empty typ", srv.AddAccessoryJSON("p", "app", "1.0", "", []byte(`{"digest":"`+digest+`"}`)), "AddAccessoryJSON: typ is empty"},
		{"SetBuildHistoryJSON nil", srv.SetBuildHistoryJSON("p", "app", "1.0", nil), "SetBuildHistoryJSON"},
	}
	for _, c := range errs {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, c.err, c.want)
		}
	}
	// nothing above was stored
	st, _, body := call(t, srv, "GET", "/api/v2.0/projects/p/repositories", "admin", srv.AdminPassword, "")
	if st != 200 || strings.Count(body, `"name"`) != 1 {
		t.Fatalf("repositories after refused calls: %d %s", st, body)
	}
	st, _, body = call(t, srv, "GET", "/api/v2.0/projects/p/repositories/app/artifacts?with_tag=true", "admin", srv.AdminPassword, "")
	if st != 200 || strings.Count(body, `"digest"`) != 1 {
		t.Fatalf("artifacts after refused calls: %d %s", st, body)
	}
}
