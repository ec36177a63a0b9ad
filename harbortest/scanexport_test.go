package harbortest_test

import (
	"bufio"
	"net/http"
	"strings"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

const scanDataType = "application/vnd.security.vulnerability.report; version=1.1"

// exportCVE starts an export of project 1 as user and returns the answer.
func exportCVE(t *testing.T, srv *harbortest.Server, user, pass, header string) (int, string) {
	t.Helper()
	status, _, body := call(t, srv, "POST", "/api/v2.0/export/cve", user, pass, `{"job_name":"x","projects":[1]}`, "X-Scan-Data-Type", header)
	return status, body
}

func TestCVEExport(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddUser("other", "Passw0rd1", false)
	srv.AddUser("maint", "Passw0rd1", false)
	srv.AddProjectMember("library", "maint", 4)
	status, body := exportCVE(t, srv, "admin", srv.AdminPassword, "")
	require.Equal(t, 422, status)
	require.Contains(t, body, `X-Scan-Data-Type in header is required`)
	status, body = exportCVE(t, srv, "admin", srv.AdminPassword, scanDataType)
	require.Equal(t, 200, status, body)
	require.Equal(t, "{\"id\":1}\n", body)
	status, body = exportCVE(t, srv, "other", "Passw0rd1", scanDataType)
	require.Equal(t, 403, status, "a user who is no member of project 1 cannot export it: %s", body)

	const base = "/api/v2.0/export/cve"
	runMoreSteps(t, srv, []moreStep{
		{name: "header checked first", method: "POST", path: base, user: "admin", body: `{"projects":[]}`, wantStatus: 422},
		{name: "execution", method: "GET", path: base + "/execution/1", user: "admin", wantStatus: 200,
			wantBody: []string{`"file_present":true`, `"status":"Success"`, `"status_text":""`, `"trigger":"MANUAL"`, `"user_name":"admin"`}},
		{name: "another user's", method: "GET", path: base + "/execution/1", user: "other", wantStatus: 403},
		{name: "another user's download", method: "GET", path: base + "/download/1", user: "maint", wantStatus: 403,
			wantHeader: map[string]string{"Content-Length": "0", "Content-Type": ""}},
		{name: "list", method: "GET", path: base + "/executions", user: "admin", wantStatus: 200,
			wantBody: []string{`{"items":[{`, `"id":1`}},
		{name: "list of another user", method: "GET", path: base + "/executions", user: "other", wantStatus: 200,
			wantBody: []string{`{"items":[]}`}},
		{name: "download", method: "GET", path: base + "/download/1", user: "admin", wantStatus: 200,
			wantBody:   []string{"Repository,Artifact Digest,CVE,Package,Current Version,Fixed in version,Severity,CWE Ids,Additional Data,Scanner\n"},
			wantHeader: map[string]string{"Content-Type": "text/csv", "Content-Disposition": `attachment; filename="scandata_export_1.csv"`}},
		{name: "downloaded once", method: "GET", path: base + "/download/1", user: "admin", wantStatus: 404,
			wantBody: []string{`"execution 1 not found"`}},
		{name: "missing", method: "GET", path: base + "/execution/99", user: "admin", wantStatus: 404,
			wantBody: []string{`"execution 99 not found"`}},
		{name: "anonymous", method: "GET", path: base + "/executions", wantStatus: 401},
	})
	status, body = exportCVE(t, srv, "admin", srv.AdminPassword, scanDataType)
	require.Equal(t, 200, status, body)
	require.Equal(t, "{\"id\":2}\n", body, "export ids continue the execution sequence")
	status, body = exportCVE(t, srv, "admin", srv.AdminPassword, "text/csv")
	require.Equal(t, 400, status)
	require.Contains(t, body, `"bad request: Unsupported MIME type : text/csv"`)
	_, secret := createRobot(t, srv, `{"name":"exp","level":"system","duration":30,"permissions":[{"kind":"project","namespace":"*","access":[{"resource":"export-cve","action":"create"}]}]}`)
	status, body = exportCVE(t, srv, "robot$exp", secret, scanDataType)
	require.Equal(t, 403, status, "a robot is no user: %s", body)
	require.Contains(t, body, "User : robot$exp not found")
}

func TestCVEExportCriteria(t *testing.T) {
	srv := harbortest.New(t)
	for _, tc := range []struct {
		body, want string
		status     int
	}{
		{`{"projects":[]}`, "bad request: only support export single project, invalid value: []", 400},
		{`{"projects":[1,2]}`, "invalid value: [1 2]", 400},
		{`{"projects":[77]}`, `"resource not found: project 77 not found"`, 404},
		{`{"projects":[1],"tags":"a b"}`, "please remove additional spaces for input: a b", 400},
	} {
		status, _, body := call(t, srv, "POST", "/api/v2.0/export/cve", "admin", srv.AdminPassword, tc.body, "X-Scan-Data-Type", scanDataType)
		require.Equal(t, tc.status, status, tc.body)
		require.Contains(t, body, tc.want, tc.body)
	}
}

// TestCVEExportLargeDownload streams a large CSV: chunked, at least the
// size asked for, every line a complete row.
func TestCVEExportLargeDownload(t *testing.T) {
	srv := harbortest.New(t)
	const size = 8 << 20
	srv.SetCVEExportSize(size)
	status, body := exportCVE(t, srv, "admin", srv.AdminPassword, scanDataType)
	require.Equal(t, 200, status, body)
	req, err := http.NewRequest("GET", srv.URL+"/api/v2.0/export/cve/download/1", nil)
	require.NoError(t, err)
	req.SetBasicAuth("admin", srv.AdminPassword)
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, int64(-1), resp.ContentLength, "chunked, as Harbor sends it")
	sc := bufio.NewScanner(resp.Body)
	var n, lines int64
	for sc.Scan() {
		line := sc.Text()
		n += int64(len(line)) + 1
		lines++
		require.Equal(t, 9, strings.Count(line, ","), "line %d has 10 fields: %q", lines, line)
	}
	require.NoError(t, sc.Err())
	require.GreaterOrEqual(t, n, int64(size))
	require.Less(t, n, int64(size)+200, "no more than one row past the size")

	require.Panics(t, func() { srv.SetCVEExportSize(-1) })
}
