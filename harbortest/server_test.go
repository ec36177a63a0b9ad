package harbortest_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStartRefusesBadOptions(t *testing.T) {
	for _, c := range []struct {
		opt  harbortest.Option
		want string
	}{
		{harbortest.WithAddress(""), "WithAddress: address is empty"},
		{harbortest.WithRobotNamePrefix(""), "WithRobotNamePrefix: prefix is empty"},
		{harbortest.WithAdminPassword(""), "WithAdminPassword: password is empty"},
		{harbortest.WithClock(nil), "WithClock: clock is nil"},
		{harbortest.WithRequestLogLimit(-1), "WithRequestLogLimit(-1): the limit must be 0 or more"},
		{nil, "option 0 is nil"},
	} {
		srv, err := harbortest.Start(c.opt)
		require.Nil(t, srv)
		require.ErrorContains(t, err, c.want)
	}
}

func TestWithAddress(t *testing.T) {
	busy := harbortest.New(t)
	addr := strings.TrimPrefix(busy.URL, "http://")
	_, err := harbortest.Start(harbortest.WithAddress(addr))
	require.ErrorContains(t, err, "listen on "+addr)

	// A port free a moment ago may be taken by another process (any
	// connection's local port) before Start binds it: try a few.
	var srv *harbortest.Server
	var free string
	for attempt := 1; ; attempt++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		free = l.Addr().String()
		require.NoError(t, l.Close())
		srv, err = harbortest.Start(harbortest.WithAddress(free), harbortest.WithTLS())
		if err == nil {
			break
		}
		require.Less(t, attempt, 5, "Start on a free port: %v", err)
		require.ErrorContains(t, err, "listen on "+free)
	}
	defer srv.Close()
	require.Equal(t, "https://"+free, srv.URL)
	st, _, body := call(t, srv, "GET", "/api/v2.0/systeminfo", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, body, `"external_url":"https://`+free+`"`)
	require.Contains(t, body, `"has_ca_root":true`)
	st, _, cert := call(t, srv, "GET", "/api/v2.0/systeminfo/getcert", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st)
	require.Equal(t, string(srv.CertPEM()), cert)
}

func TestHandlerMountsElsewhere(t *testing.T) {
	srv := harbortest.New(t)
	other := httptest.NewServer(srv.Handler())
	defer other.Close()
	req, _ := http.NewRequest("POST", other.URL+"/api/v2.0/projects", strings.NewReader(`{"project_name":"mounted"}`))
	req.SetBasicAuth("admin", srv.AdminPassword)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	// same state behind both listeners
	require.Len(t, srv.Projects(), 2)
	// systeminfo reports the address the client used
	req, _ = http.NewRequest("GET", other.URL+"/api/v2.0/systeminfo", nil)
	req.SetBasicAuth("admin", srv.AdminPassword)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Contains(t, string(body), `"external_url":"`+other.URL+`"`)
}

func TestNewClosesOnCleanup(t *testing.T) {
	var url string
	t.Run("inner", func(t *testing.T) {
		srv := harbortest.New(t)
		url = srv.URL
		st, _, _ := call(t, srv, "GET", "/api/v2.0/ping", "", "", "")
		require.Equal(t, http.StatusOK, st)
	})
	c := &http.Client{Timeout: 5 * time.Second}
	_, err := c.Get(url + "/api/v2.0/ping")
	require.Error(t, err, "server still answers after its test finished")
}

func TestPaginationHeaders(t *testing.T) {
	t.Parallel()
	srv := harbortest.New(t)
	list := func(path string) (string, string, string) {
		st, h, body := call(t, srv, "GET", path, "admin", "Harbor12345", "")
		assert.Equal(t, 200, st, body)
		return h.Get("X-Total-Count"), h.Get("Link"), body
	}

	// 0 items
	total, link, body := list("/api/v2.0/projects/library/repositories")
	assert.Equal(t, "0", total)
	assert.Empty(t, link)
	assert.Equal(t, "[]\n", body)

	// 1 item
	total, link, _ = list("/api/v2.0/projects")
	assert.Equal(t, "1", total)
	assert.Empty(t, link)

	// exactly one page
	srv.AddProjects(9)
	total, link, _ = list("/api/v2.0/projects")
	assert.Equal(t, "10", total)
	assert.Empty(t, link)

	// one page and one item
	srv.AddProjects(1)
	total, link, _ = list("/api/v2.0/projects")
	assert.Equal(t, "11", total)
	assert.Equal(t, `</api/v2.0/projects?page=2&page_size=10>; rel="next"`, link)
	_, link, _ = list("/api/v2.0/projects?page=2")
	assert.Equal(t, `</api/v2.0/projects?page=1&page_size=10>; rel="prev"`, link)

	// middle page, other query parameters kept (sorted, unescaped)
	_, link, _ = list("/api/v2.0/projects?page=2&page_size=2&q=name%3D~project")
	assert.Equal(t, `</api/v2.0/projects?page=1&page_size=2&q=name=~project>; rel="prev" , </api/v2.0/projects?page=3&page_size=2&q=name=~project>; rel="next"`, link)

	// page_size limits
	st, _, body := call(t, srv, "GET", "/api/v2.0/projects?page_size=101", "admin", "Harbor12345", "")
	assert.Equal(t, 422, st)
	assert.Contains(t, body, "page_size in query should be less than or equal to 100")
}

func TestLargeProjectList(t *testing.T) {
	t.Parallel()
	srv := harbortest.New(t)
	ids := srv.AddProjects(10000)
	assert.Len(t, ids, 10000)
	st, h, _ := call(t, srv, "GET", "/api/v2.0/projects?page=100&page_size=100", "admin", "Harbor12345", "")
	assert.Equal(t, 200, st)
	assert.Equal(t, "10001", h.Get("X-Total-Count"))
	assert.Equal(t, `</api/v2.0/projects?page=99&page_size=100>; rel="prev" , </api/v2.0/projects?page=101&page_size=100>; rel="next"`, h.Get("Link"))
	st, _, body := call(t, srv, "GET", "/api/v2.0/projects?name=project-00042", "admin", "Harbor12345", "")
	assert.Equal(t, 200, st)
	assert.Contains(t, body, `"name":"project-00042"`)
	assert.Len(t, srv.Projects(), 10001)
}

func TestArtifactsAndAuditLogs(t *testing.T) {
	t.Parallel()
	srv := harbortest.New(t)
	for i := 0; i < 3; i++ {
		srv.AddArtifact("library", "nginx", fmt.Sprintf("sha256:%064d", i))
	}
	srv.AddAuditLog("create", "library/nginx:latest", "artifact", "admin")
	st, h, body := call(t, srv, "GET", "/api/v2.0/projects/library/repositories/nginx/artifacts?page_size=2", "admin", "Harbor12345", "")
	assert.Equal(t, 200, st, body)
	assert.Equal(t, "3", h.Get("X-Total-Count"))
	assert.Equal(t, `</api/v2.0/projects/library/repositories/nginx/artifacts?page=2&page_size=2>; rel="next"`, h.Get("Link"))
	st, h, _ = call(t, srv, "GET", "/api/v2.0/audit-logs", "admin", "Harbor12345", "")
	assert.Equal(t, 200, st)
	assert.Equal(t, "1", h.Get("X-Total-Count"))
	st, _, _ = call(t, srv, "DELETE", "/api/v2.0/projects/library", "admin", "Harbor12345", "")
	assert.Equal(t, 412, st)
}

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
