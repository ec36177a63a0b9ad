package harbortest_test

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	mimeGeneric = "application/vnd.security.vulnerability.report; version=1.1"
	mimeNative  = "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0"
)

func adminCall(t *testing.T, srv *harbortest.Server, method, path, body string) (int, http.Header, string) {
	t.Helper()
	return call(t, srv, method, path, "admin", "Harbor12345", body)
}

func getWithAccept(t *testing.T, srv *harbortest.Server, path, header, value string) string {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	require.NoError(t, err)
	req.SetBasicAuth("admin", "Harbor12345")
	req.Header.Set(header, value)
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var b strings.Builder
	_, _ = stringsCopy(&b, resp)
	require.Equal(t, http.StatusOK, resp.StatusCode, b.String())
	return b.String()
}

func stringsCopy(b *strings.Builder, resp *http.Response) (int64, error) {
	buf := make([]byte, 32<<10)
	var n int64
	for {
		k, err := resp.Body.Read(buf)
		b.Write(buf[:k])
		n += int64(k)
		if err != nil {
			return n, nil
		}
	}
}

// keysOf returns the sorted keys of a JSON object.
func keysOf(t *testing.T, raw string) []string {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(raw), &m), raw)
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// recordedBody returns the JSON body of a set2 capture.
func recordedBody(t *testing.T, name string) string {
	t.Helper()
	ex, err := parseCapture("../testdata/harbor-captures/set2/" + name)
	require.NoError(t, err)
	return ex[0].RespBody
}

func TestArtifactsNestedRepositoryNames(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("capart1", false)
	digest := srv.AddImage("capart1", "team/app", "1.0", "latest")

	for _, repo := range []string{"team%252Fapp", "team%2Fapp"} {
		st, _, body := adminCall(t, srv, "GET", "/api/v2.0/projects/capart1/repositories/"+repo, "")
		require.Equal(t, http.StatusOK, st, body)
		require.Contains(t, body, `"name":"capart1/team/app"`)
		st, _, body = adminCall(t, srv, "GET", "/api/v2.0/projects/capart1/repositories/"+repo+"/artifacts/1.0", "")
		require.Equal(t, http.StatusOK, st, body)
		require.Contains(t, body, digest)
	}
	// Harbor unescapes a path parameter once after its router (handler/util.go unescapePathParams).
	st, _, body := adminCall(t, srv, "GET", "/api/v2.0/projects/capart1/repositories/team%25252Fapp", "")
	require.Equal(t, http.StatusNotFound, st, body)
	st, _, body = adminCall(t, srv, "GET", "/api/v2.0/projects/capart1/repositories/team%252Fapp/artifacts/9.9", "")
	require.Equal(t, http.StatusNotFound, st)
	require.Contains(t, body, "artifact capart1/team/app:9.9 not found")
	st, _, body = adminCall(t, srv, "GET", "/api/v2.0/projects/capart1/repositories/nosuchrepo/artifacts", "")
	require.Equal(t, http.StatusOK, st)
	require.Equal(t, "[]\n", body)

	// Artifact JSON carries the keys Harbor writes (p058).
	_, _, body = adminCall(t, srv, "GET", "/api/v2.0/projects/capart1/repositories/team%252Fapp/artifacts/1.0", "")
	require.Equal(t, keysOf(t, recordedBody(t, "p058_get_artifact_by_tag.txt")), keysOf(t, body))
	require.Contains(t, body, `"accessories":null`)
	require.Contains(t, body, `"references":null`)
}

func TestArtifactsTagsAndQ(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("p", false)
	srv.AddImage("p", "app", "1.0")
	srv.AddImage("p", "app")
	const base = "/api/v2.0/projects/p/repositories/app/artifacts"

	st, _, _ := adminCall(t, srv, "POST", base+"/1.0/tags", `{"name":"rc1"}`)
	require.Equal(t, http.StatusCreated, st)
	st, _, body := adminCall(t, srv, "POST", base+"/1.0/tags", `{"name":"rc1"}`)
	require.Equal(t, http.StatusConflict, st, body)
	_, h, body := adminCall(t, srv, "GET", base+"?q=tags%3Drc1", "")
	require.Equal(t, "1", h.Get("X-Total-Count"), body)
	_, h, _ = adminCall(t, srv, "GET", base+"?q=tags%3Dnil", "")
	require.Equal(t, "1", h.Get("X-Total-Count"))
	st, _, body = adminCall(t, srv, "GET", base+"?q=garbage", "")
	require.Equal(t, http.StatusBadRequest, st, body)
	st, _, _ = adminCall(t, srv, "DELETE", base+"/1.0/tags/rc1", "")
	require.Equal(t, http.StatusOK, st)
	st, _, body = adminCall(t, srv, "DELETE", base+"/1.0/tags/rc1", "")
	require.Equal(t, http.StatusNotFound, st)
	require.Contains(t, body, "tag rc1 attached to artifact")

	st, h, _ = adminCall(t, srv, "POST", "/api/v2.0/projects/p/repositories/team%252Fcopy/artifacts?from=p/app:1.0", "")
	require.Equal(t, http.StatusCreated, st)
	require.Equal(t, "/api/v2.0/projects/p/repositories/team%2Fcopy/artifacts/1.0", h.Get("Location"))
	st, _, _ = adminCall(t, srv, "DELETE", "/api/v2.0/projects/p/repositories/team%252Fcopy", "")
	require.Equal(t, http.StatusOK, st)
	st, _, _ = adminCall(t, srv, "GET", "/api/v2.0/projects/p/repositories/team%252Fcopy", "")
	require.Equal(t, http.StatusNotFound, st)
}

func TestScanOverviewAndReports(t *testing.T) {
	now := time.Date(2026, 11, 30, 4, 2, 6, 0, time.UTC)
	var clock = func() time.Time { return now }
	srv := harbortest.NewServer(harbortest.WithClock(func() time.Time { return clock() }))
	defer srv.Close()
	srv.AddProject("capart1", false)
	srv.AddImage("capart1", "team/app", "1.0")
	const art = "/api/v2.0/projects/capart1/repositories/team%252Fapp/artifacts/1.0"

	// No scanner yet: Harbor's 404 (p104).
	st, _, body := adminCall(t, srv, "GET", art+"/additions/vulnerabilities", "")
	require.Equal(t, http.StatusNotFound, st)
	require.Contains(t, body, "no scanner registration configured for project")

	srv.PlanScan("capart1", "team/app", "1.0", harbortest.SampleVulnerabilities(), 4*time.Second)
	st, _, _ = adminCall(t, srv, "POST", art+"/scan", "")
	require.Equal(t, http.StatusAccepted, st)
	st, _, body = adminCall(t, srv, "POST", art+"/scan", "")
	require.Equal(t, http.StatusConflict, st)
	require.Contains(t, body, "a previous scan process is Pending")
	_, _, body = adminCall(t, srv, "GET", art+"?with_scan_overview=true", "")
	require.Contains(t, body, `"scan_status":"Pending"`)
	_, _, body = adminCall(t, srv, "GET", art+"/additions/vulnerabilities", "")
	require.Equal(t, "{}\n", body)

	now = now.Add(4 * time.Second)
	_, _, body = adminCall(t, srv, "GET", art+"?with_scan_overview=true", "")
	var got struct {
		ScanOverview map[string]json.RawMessage `json:"scan_overview"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &got))
	var recorded struct {
		ScanOverview map[string]json.RawMessage `json:"scan_overview"`
	}
	require.NoError(t, json.Unmarshal([]byte(recordedBody(t, "v004_get_artifact_with_scan_overview.txt")), &recorded))
	require.Equal(t, keysOf(t, string(recorded.ScanOverview[mimeGeneric])), keysOf(t, string(got.ScanOverview[mimeGeneric])))
	require.Contains(t, string(got.ScanOverview[mimeGeneric]),
		`"summary":{"fixable":3,"summary":{"Critical":1,"High":1,"Low":1,"Medium":1,"None":1,"Unknown":1},"total":6}`)

	// Both report types; an unknown type falls back to the native one (v013).
	for accept, want := range map[string]string{"": mimeGeneric, mimeNative: mimeNative, "application/x-nope": mimeNative,
		mimeGeneric + "," + mimeNative: mimeGeneric} {
		body := getWithAccept(t, srv, art+"/additions/vulnerabilities", "X-Accept-Vulnerabilities", accept)
		require.Equal(t, []string{want}, keysOf(t, body), accept)
		var rep map[string]struct {
			Severity        string            `json:"severity"`
			Vulnerabilities []json.RawMessage `json:"vulnerabilities"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &rep))
		require.Equal(t, "Critical", rep[want].Severity)
		require.Len(t, rep[want].Vulnerabilities, 6)
		var rec map[string]struct {
			Vulnerabilities []json.RawMessage `json:"vulnerabilities"`
		}
		require.NoError(t, json.Unmarshal([]byte(recordedBody(t, "v009_vulnerabilities_addition_default_accept.txt")), &rec))
		require.Equal(t, keysOf(t, string(rec[mimeGeneric].Vulnerabilities[0])), keysOf(t, string(rep[want].Vulnerabilities[0])))
	}
}

func TestScanFailureAndStop(t *testing.T) {
	now := time.Date(2026, 11, 30, 4, 0, 0, 0, time.UTC)
	srv := harbortest.NewServer(harbortest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	srv.AddProject("p", false)
	srv.AddImage("p", "app", "1", "2")
	const art = "/api/v2.0/projects/p/repositories/app/artifacts/"
	srv.PlanScanFailure("p", "app", "1", time.Second)
	st, _, _ := adminCall(t, srv, "POST", art+"1/scan", `{"scan_type":"vulnerability"}`)
	require.Equal(t, http.StatusAccepted, st)
	now = now.Add(time.Second)
	_, _, body := adminCall(t, srv, "GET", art+"1?with_scan_overview=true", "")
	require.Contains(t, body, `"scan_status":"Error"`)

	srv.SetScanDelay(time.Minute)
	st, _, _ = adminCall(t, srv, "POST", art+"2/scan", "")
	require.Equal(t, http.StatusAccepted, st)
	st, _, _ = adminCall(t, srv, "POST", art+"2/scan/stop", `{"scan_type":"vulnerability"}`)
	require.Equal(t, http.StatusAccepted, st)
	_, _, body = adminCall(t, srv, "GET", art+"2?with_scan_overview=true", "")
	require.Contains(t, body, `"scan_status":"Stopped"`)

	st, _, body = adminCall(t, srv, "POST", art+"2/scan", `{"scan_type":"malware"}`)
	require.Equal(t, http.StatusUnprocessableEntity, st, body)
}

func TestSecurityHubCountsBothReports(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("capart1", false)
	for _, tag := range []string{"a", "b"} {
		srv.AddImage("capart1", "team/app", tag)
		srv.SetReport("capart1", "team/app", tag, harbortest.SampleVulnerabilities())
	}
	srv.AddImage("capart1", "team/app", "unscanned")

	_, _, body := adminCall(t, srv, "GET", "/api/v2.0/security/summary", "")
	var sum map[string]int
	require.NoError(t, json.Unmarshal([]byte(body), &sum))
	require.Equal(t, keysOf(t, recordedBody(t, "v034_security_summary.txt")), keysOf(t, body))
	require.Equal(t, 4, sum["critical_cnt"]) // 2 artifacts x 2 report types (README 56)
	require.Equal(t, 24, sum["total_vuls"])
	require.Equal(t, 12, sum["fixable_cnt"])
	require.Equal(t, 2, sum["scanned_cnt"])
	require.Equal(t, 3, sum["total_artifact"])

	_, h, body := adminCall(t, srv, "GET", "/api/v2.0/security/vul?q=severity%3DCritical&with_tag=true", "")
	require.Equal(t, "4", h.Get("X-Total-Count"), body)
	_, h, _ = adminCall(t, srv, "GET", "/api/v2.0/security/vul?q=cvss_score_v3%3D%5B7.0~10%5D", "")
	require.Equal(t, "8", h.Get("X-Total-Count"))
	st, _, body := adminCall(t, srv, "GET", "/api/v2.0/security/vul?q=nosuchkey%3D1", "")
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "keyword: nosuchkey is not allowed")
	st, _, _ = call(t, srv, "GET", "/api/v2.0/security/summary", "", "", "")
	require.Equal(t, http.StatusUnauthorized, st)
}

func TestReportJSONServedAsSeeded(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("p", false)
	srv.AddImage("p", "app", "1")
	raw := `{"generated_at":"2026-11-30T04:02:09Z","scanner":{"name":"X","vendor":"Y","version":"1"},"severity":"Apocalyptic","extra":{"a":1},"vulnerabilities":[{"id":"CVE-1","severity":"Apocalyptic","fix_version":"2"}]}`
	srv.SetReportJSON("p", "app", "1", mimeGeneric, []byte(raw))
	_, _, body := adminCall(t, srv, "GET", "/api/v2.0/projects/p/repositories/app/artifacts/1/additions/vulnerabilities", "")
	require.JSONEq(t, `{"`+mimeGeneric+`":`+raw+`}`, body)
}

func TestSBOMAccessory(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("capart1", false)
	srv.AddImage("capart1", "team/app", "1.0")
	srv.SetReport("capart1", "team/app", "1.0", harbortest.SampleVulnerabilities())
	const art = "/api/v2.0/projects/capart1/repositories/team%252Fapp/artifacts/"

	st, _, _ := adminCall(t, srv, "POST", art+"1.0/scan", `{"scan_type":"sbom"}`)
	require.Equal(t, http.StatusAccepted, st)
	_, _, body := adminCall(t, srv, "GET", art+"1.0?with_sbom_overview=true&with_accessory=true", "")
	require.Equal(t, keysOf(t, recordedBody(t, "v028_get_artifact_with_sbom_overview.txt")), keysOf(t, body))
	var subject struct {
		Accessories   []map[string]any          `json:"accessories"`
		AdditionLinks map[string]map[string]any `json:"addition_links"`
		SbomOverview  map[string]any            `json:"sbom_overview"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &subject))
	require.Len(t, subject.Accessories, 1)
	sbomDigest := subject.Accessories[0]["digest"].(string)
	assert.Equal(t, "sbom.harbor", subject.Accessories[0]["type"])
	assert.Equal(t, "Success", subject.SbomOverview["scan_status"])
	assert.Equal(t, sbomDigest, subject.SbomOverview["sbom_digest"])
	assert.Equal(t, art+sbomDigest+"/additions/sbom", subject.AdditionLinks["sboms"]["href"])

	// The accessory is not listed with the repository's artifacts (v033: 1).
	_, h, _ := adminCall(t, srv, "GET", art[:len(art)-1], "")
	assert.Equal(t, "1", h.Get("X-Total-Count"))
	_, h, body = adminCall(t, srv, "GET", art+"1.0/accessories", "")
	assert.Equal(t, "1", h.Get("X-Total-Count"))
	var accs []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(body), &accs))
	var rec []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(recordedBody(t, "v029_list_accessories_after_sbom.txt")), &rec))
	assert.Equal(t, keysOf(t, string(rec[1])), keysOf(t, string(accs[0])))

	_, _, body = adminCall(t, srv, "GET", art+sbomDigest+"?with_tag=true", "")
	assert.Equal(t, keysOf(t, recordedBody(t, "v030_get_sbom_accessory_artifact.txt")), keysOf(t, body))
	assert.Contains(t, body, `"type":"SBOM"`)
	st, h, body = adminCall(t, srv, "GET", art+sbomDigest+"/additions/sbom", "")
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, "application/vnd.goharbor.harbor.sbom.v1", h.Get("Content-Type"))
	assert.Equal(t, keysOf(t, recordedBody(t, "v031_sbom_accessory_addition_sbom.txt")), keysOf(t, body))
	assert.Contains(t, body, `"name":"libwebp7"`)

	// Deleting the subject deletes its accessory.
	st, _, _ = adminCall(t, srv, "DELETE", art+"1.0", "")
	require.Equal(t, http.StatusOK, st)
	st, _, _ = adminCall(t, srv, "GET", art+sbomDigest, "")
	assert.Equal(t, http.StatusNotFound, st)
}

func TestChartAdditions(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("capart1", false)
	srv.AddChart("capart1", "charts/mychart", harbortest.Chart{Values: "replicaCount: 1\n", Readme: "# mychart\n",
		Dependencies: []map[string]string{{"name": "redis", "version": "17.0.0", "repository": "https://charts.example.com/stable"}}})
	const art = "/api/v2.0/projects/capart1/repositories/charts%252Fmychart/artifacts/0.1.0"

	_, _, body := adminCall(t, srv, "GET", art, "")
	assert.Equal(t, keysOf(t, recordedBody(t, "p066_get_artifact_chart.txt")), keysOf(t, body))
	assert.Contains(t, body, `"type":"CHART"`)
	for add, want := range map[string][2]string{
		"values.yaml":  {"text/plain; charset=utf-8", "replicaCount: 1\n"},
		"readme.md":    {"text/markdown; charset=utf-8", "# mychart\n"},
		"dependencies": {"application/json; charset=utf-8", `[{"name":"redis","repository":"https://charts.example.com/stable","version":"17.0.0"}]` + "\n"},
	} {
		st, h, body := adminCall(t, srv, "GET", art+"/additions/"+add, "")
		require.Equal(t, http.StatusOK, st, add)
		assert.Equal(t, want[0], h.Get("Content-Type"), add)
		assert.Equal(t, want[1], body, add)
	}
	st, _, body := adminCall(t, srv, "GET", art+"/additions/build_history", "")
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, body, "addition BUILD_HISTORY isn't supported for CHART") // p108
}

// An artifact seeded from Harbor's JSON for it is served back as Harbor
// wrote it (ids aside).
func TestAddArtifactJSONRoundTrip(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("capart1", false)
	for _, c := range []struct{ capture, repo, path string }{
		{"p058_get_artifact_by_tag.txt", "team/app", "team%252Fapp/artifacts/1.0"},
		{"p066_get_artifact_chart.txt", "charts/mychart", "charts%252Fmychart/artifacts/0.1.0"},
		{"p067_get_artifact_oci_unknown.txt", "sbom/report", "sbom%252Freport/artifacts/v1"},
	} {
		want := recordedBody(t, c.capture)
		require.NoError(t, srv.AddArtifactJSON("capart1", c.repo, []byte(want)))
		st, _, got := adminCall(t, srv, "GET", "/api/v2.0/projects/capart1/repositories/"+c.path, "")
		require.Equal(t, http.StatusOK, st, got)
		var w, g map[string]any
		require.NoError(t, json.Unmarshal([]byte(want), &w))
		require.NoError(t, json.Unmarshal([]byte(got), &g))
		for _, m := range []map[string]any{w, g} {
			for _, k := range []string{"id", "project_id", "repository_id", "tags"} {
				delete(m, k)
			}
		}
		assert.Equal(t, w, g, c.capture)
	}
	require.ErrorContains(t, srv.AddArtifactJSON("capart1", "team/app", []byte(recordedBody(t, "p058_get_artifact_by_tag.txt"))), "already in")
	require.ErrorContains(t, srv.AddArtifactJSON("nope", "x", []byte(`{"digest":"sha256:`+strings.Repeat("1", 64)+`"}`)), `project "nope" does not exist`)
	require.ErrorContains(t, srv.AddArtifactJSON("capart1", "x", []byte(`{"digest":"sha256:1"}`)), `digest "sha256:1" is not sha256:<64 hex digits>`)
	require.ErrorContains(t, srv.AddArtifactJSON("capart1", "x", []byte(`{}`)), "no digest")
}

func TestLabels(t *testing.T) {
	srv := harbortest.New(t)
	pid := itoa(srv.AddProject("capart1", false))
	_, secret := projectRobot(t, srv, "nopull", "capart1", "list")
	runSteps(t, srv, []apiStep{
		{name: "create global", method: "POST", path: "/api/v2.0/labels", user: "admin",
			body: `{"name":"cap-global","description":"global label","color":"#48960C","scope":"g"}`, status: created,
			header: map[string]string{"Location": "/api/v2.0/labels/1"}},
		{name: "create project", method: "POST", path: "/api/v2.0/labels", user: "admin",
			body: `{"name":"cap-proj","scope":"p","project_id":` + pid + `}`, status: created},
		{name: "b089", method: "GET", path: "/api/v2.0/labels?scope=g", user: "admin", status: ok,
			want:   []string{`"color":"#48960C"`, `"description":"global label","id":1,"name":"cap-global","scope":"g"`},
			header: map[string]string{"X-Total-Count": "1"}},
		{name: "b090", method: "GET", path: "/api/v2.0/labels?scope=p&project_id=" + pid, user: "admin", status: ok,
			want: []string{`"name":"cap-proj","project_id":` + pid + `,"scope":"p"`}},
		{name: "b091", method: "GET", path: "/api/v2.0/labels", user: "admin", status: 400, want: []string{errBody("BAD_REQUEST", "invalid scope: ")}},
		{name: "b092", method: "GET", path: "/api/v2.0/labels?scope=p", user: "admin", status: 400,
			want: []string{errBody("BAD_REQUEST", "must with project ID when to query project labels")}},
		{name: "b093 name is fuzzy", method: "GET", path: "/api/v2.0/labels?scope=g&name=cap", user: "admin", status: ok,
			header: map[string]string{"X-Total-Count": "1"}},
		{name: "b094 q", method: "GET", path: "/api/v2.0/labels?scope=g&q=name%3D~nothing", user: "admin", status: ok,
			want: []string{"[]"}},
		{name: "b095", method: "GET", path: "/api/v2.0/labels?scope=g&page_size=101", user: "admin", status: 422},
		{name: "b097", method: "GET", path: "/api/v2.0/labels/999999", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "label 999999 not found")}},
		{name: "b098", method: "POST", path: "/api/v2.0/labels", user: "admin", body: `{"name":"cap-global","scope":"g"}`,
			status: 409, want: []string{errBody("CONFLICT", "label cap-global already exists")}},
		{name: "b100", method: "POST", path: "/api/v2.0/labels", user: "admin", body: `{"name":"x","scope":"x"}`,
			status: 400, want: []string{errBody("BAD_REQUEST", "unsupported label scope")}},
		{name: "b101 empty name accepted", method: "POST", path: "/api/v2.0/labels", user: "admin", body: `{"name":"","scope":"g"}`, status: created},
		{name: "b464 empty fields omitted", method: "GET", path: "/api/v2.0/labels/3", user: "admin", status: ok,
			want: []string{`"id":3,"scope":"g"`}, wantNot: []string{`"name"`, `"color"`}},
		{name: "b102 same name other scope", method: "POST", path: "/api/v2.0/labels", user: "admin",
			body: `{"name":"cap-global","scope":"p","project_id":` + pid + `}`, status: created},
		{name: "b105 rename conflict", method: "PUT", path: "/api/v2.0/labels/3", user: "admin", body: `{"name":"cap-global","scope":"g"}`,
			status: 409},
		{name: "b104", method: "PUT", path: "/api/v2.0/labels/3", user: "admin", body: `{"name":"renamed","color":"#FFDC0B","scope":"g"}`, status: ok},
		{name: "b106", method: "GET", path: "/api/v2.0/labels/3", user: "admin", status: ok, want: []string{`"color":"#FFDC0B"`, `"name":"renamed"`}},
		{name: "b107 robot without label access", method: "POST", path: "/api/v2.0/labels", user: "robot$capart1+nopull", password: secret,
			body: `{"name":"r","scope":"p","project_id":` + pid + `}`, status: 403, want: []string{errBody("FORBIDDEN", "forbidden")}},
		{name: "b108", method: "POST", path: "/api/v2.0/labels", body: `{"name":"a","scope":"g"}`, status: 401,
			want: []string{errBody("UNAUTHORIZED", "unauthorized")}},
		{name: "b109", method: "DELETE", path: "/api/v2.0/labels/3", user: "admin", status: ok},
		{name: "b110", method: "DELETE", path: "/api/v2.0/labels/3", user: "admin", status: 404, want: []string{errBody("NOT_FOUND", "label 3 not found")}},
		{name: "project delete drops its labels", method: "DELETE", path: "/api/v2.0/projects/capart1", user: "admin", status: ok},
		{name: "label 2 gone", method: "GET", path: "/api/v2.0/labels/2", user: "admin", status: 404},
	})
}

// TestSearch checks /search's visibility rules and shape (p142-p147): admin
// sees every project, a member its projects, robots and anonymous callers
// public ones only; repositories are sorted by full name.
func TestSearch(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("capart1", false)
	srv.AddProject("capart2", true)
	srv.AddRepository("capart1", "team/app")
	srv.AddRepository("capart2", "web")
	srv.AddRepository("capart2", "team/app")
	srv.AddUser("dave", "Dave12345", false)
	srv.AddProjectMember("capart1", "dave", 3)

	st, _, body := call(t, srv, "GET", "/api/v2.0/search?q=app", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st)
	require.JSONEq(t, `{"project":[],"repository":[
		{"project_id":2,"project_name":"capart1","repository_name":"capart1/team/app"},
		{"project_id":3,"project_name":"capart2","project_public":true,"repository_name":"capart2/team/app"}]}`, body)

	st, _, body = call(t, srv, "GET", "/api/v2.0/search?q=capart", "", "", "")
	require.Equal(t, http.StatusOK, st)
	require.JSONEq(t, `{"project":[{"creation_time":"`+srv.Projects()[1].CreationTime.UTC().Format("2006-01-02T15:04:05.000Z")+`",
		"current_user_role_ids":null,"cve_allowlist":{"creation_time":"0001-01-01T00:00:00.000Z","items":null,"update_time":"0001-01-01T00:00:00.000Z"},
		"metadata":{"public":"true"},"name":"capart2","owner_id":1,"project_id":3,"repo_count":2,
		"update_time":"`+srv.Projects()[1].CreationTime.UTC().Format("2006-01-02T15:04:05.000Z")+`"}],
		"repository":[
		{"project_id":3,"project_name":"capart2","project_public":true,"repository_name":"capart2/team/app"},
		{"project_id":3,"project_name":"capart2","project_public":true,"repository_name":"capart2/web"}]}`, body)

	st, _, body = call(t, srv, "GET", "/api/v2.0/search?q=capart1", "dave", "Dave12345", "")
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, body, `"name":"capart1"`)
	require.Contains(t, body, `"current_user_role_id":3,"current_user_role_ids":[3]`)

	for _, q := range []string{"", "?q="} {
		st, _, body = call(t, srv, "GET", "/api/v2.0/search"+q, "admin", "Harbor12345", "")
		require.Equal(t, http.StatusUnprocessableEntity, st)
		require.JSONEq(t, `{"errors":[{"code":"UNPROCESSABLE_ENTITY","message":"validation failure list:\nq in query is required"}]}`, body)
	}
}

// TestStatistics checks the counts per caller (p140, p141, b468).
func TestStatistics(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("priv", false)
	srv.AddRepository("priv", "a")
	srv.AddRepository("library", "b")
	srv.AddUser("erin", "Erin12345", false)
	for _, c := range []struct {
		user, pass, want string
	}{
		{"admin", "Harbor12345", `{"private_project_count":1,"private_repo_count":1,"public_project_count":1,"public_repo_count":1,"total_project_count":2,"total_repo_count":2,"total_storage_consumption":0}`},
		{"erin", "Erin12345", `{"private_project_count":0,"private_repo_count":0,"public_project_count":1,"public_repo_count":1,"total_project_count":0,"total_repo_count":0,"total_storage_consumption":0}`},
	} {
		st, _, body := call(t, srv, "GET", "/api/v2.0/statistics", c.user, c.pass, "")
		require.Equal(t, http.StatusOK, st)
		require.JSONEq(t, c.want, body, c.user)
	}
	srv.AddProjectMember("priv", "erin", 2)
	_, _, body := call(t, srv, "GET", "/api/v2.0/statistics", "erin", "Erin12345", "")
	require.Contains(t, body, `"private_project_count":1,"private_repo_count":1`)
}
