package harbortest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

func TestScanners(t *testing.T) {
	srv := harbortest.New(t)
	srv.MarkRegistryUnreachable("http://127.0.0.1:15996")
	srv.AddProject("capart1", false)
	srv.AddUser("capuser1", "CapUser24680", false)
	fake := `{"name":"fake-scanner","description":"rig","url":"http://127.0.0.1:15004","auth":"","skip_certVerify":true}`
	runSteps(t, srv, []apiStep{
		{name: "b326", method: "GET", path: "/api/v2.0/scanners", user: "admin", status: ok, want: []string{"[]"}},
		{name: "b327 unreachable", method: "POST", path: "/api/v2.0/scanners/ping", user: "admin", body: `{"name":"d","url":"http://127.0.0.1:15996"}`, status: 500},
		{name: "b328", method: "POST", path: "/api/v2.0/scanners", user: "admin", body: `{"name":"d","url":"http://127.0.0.1:15996"}`, status: 500},
		{name: "b331", method: "POST", path: "/api/v2.0/scanners", user: "admin", body: `{"name":"b","url":"not a url"}`, status: 422,
			want: []string{errBody("UNPROCESSABLE_ENTITY", `validation failure list:\nvalidation failure list:\nurl in body must be of type uri: \"not a url\"`)}},
		{name: "b332", method: "POST", path: "/api/v2.0/scanners", user: "admin", body: `{"name":"b","url":"http://h","auth":"Digest"}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "auth type Digest is not supported")}},
		{name: "b482", method: "POST", path: "/api/v2.0/scanners", user: "admin", body: `{"name":"b","url":"http://h","auth":"Bearer"}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "access_credential is required for auth type Bearer")}},
		{name: "b478", method: "POST", path: "/api/v2.0/scanners/ping", user: "admin", body: fake, status: ok},
		{name: "b479", method: "POST", path: "/api/v2.0/scanners", user: "admin", body: fake, status: created},
		{name: "b480 same url", method: "POST", path: "/api/v2.0/scanners", user: "admin",
			body: `{"name":"other","url":"http://127.0.0.1:15004","auth":"Basic","access_credential":"u:p"}`, status: 409,
			want: []string{errBody("UNKNOWN", "dao: create registration: registration name or url already exists")}},
		{name: "b506", method: "POST", path: "/api/v2.0/scanners", user: "admin",
			body: `{"name":"fake-scanner-basic","url":"http://localhost:15004","auth":"Basic","access_credential":"scanuser:scanpass"}`, status: created},
		{name: "b334", method: "GET", path: "/api/v2.0/scanners/no-such-uuid", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "scanner no-such-uuid not found")}},
		{name: "b487", method: "GET", path: "/api/v2.0/scanners/no-such-uuid/metadata", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "registration no-such-uuid not found")}},
		{name: "b484", method: "GET", path: "/api/v2.0/scanners?q=name%3D~basic&page_size=5", user: "admin", status: ok,
			header: map[string]string{"X-Total-Count": "1"}},
		{name: "b504", method: "GET", path: "/api/v2.0/scanners", user: "capuser1", password: "CapUser24680", status: 403,
			want: []string{errBody("FORBIDDEN", "capuser1")}},
	})
	_, _, list := call(t, srv, "GET", "/api/v2.0/scanners", "admin", srv.AdminPassword, "")
	first, second := jsonField(t, list, "0.uuid"), jsonField(t, list, "1.uuid")
	if jsonField(t, list, "0.name") != "fake-scanner" || jsonField(t, list, "0.is_default") != "true" || jsonField(t, list, "1.is_default") != "false" {
		t.Fatalf("the first registration must be the default: %s", list)
	}
	if strings.Contains(list, "scanpass") {
		t.Fatalf("credential shown: %s", list)
	}
	runSteps(t, srv, []apiStep{
		{name: "b486", method: "GET", path: "/api/v2.0/scanners/" + first + "/metadata", user: "admin", status: ok,
			want: []string{`"scanner":{"name":"FakeScan","vendor":"harbor-rig","version":"0.3.0"}`}},
		{name: "b491 project uses the default", method: "GET", path: "/api/v2.0/projects/capart1/scanner", user: "admin", status: ok,
			want: []string{`"adapter":"FakeScan"`, `"health":"healthy","is_default":true,"name":"fake-scanner"`}},
		{name: "b495 unknown uuid accepted", method: "PUT", path: "/api/v2.0/projects/capart1/scanner", user: "admin", body: `{"uuid":"no-such-uuid"}`, status: ok},
		{name: "falls back to the default", method: "GET", path: "/api/v2.0/projects/capart1/scanner", user: "admin", status: ok,
			want: []string{`"name":"fake-scanner"`}},
		{name: "b508", method: "PUT", path: "/api/v2.0/projects/capart1/scanner", user: "admin", body: `{"uuid":"` + second + `"}`, status: ok},
		{name: "b509", method: "GET", path: "/api/v2.0/projects/capart1/scanner", user: "admin", status: ok,
			want: []string{`"access_credential":""`, `"auth":"Basic"`, `"is_default":false,"name":"fake-scanner-basic"`}},
		{name: "b510", method: "PUT", path: "/api/v2.0/scanners/" + second, user: "admin",
			body: `{"name":"fake-scanner-basic","description":"now disabled","url":"http://localhost:15004","auth":"Basic","disabled":true,"access_credential":"u:p2"}`, status: ok},
		{name: "b512", method: "GET", path: "/api/v2.0/projects/capart1/scanner/candidates", user: "admin", status: ok,
			want: []string{`"disabled":true`}, header: map[string]string{"X-Total-Count": "2"}},
		{name: "empty credential keeps the stored one", method: "PUT", path: "/api/v2.0/scanners/" + second, user: "admin",
			body: `{"name":"fake-scanner-basic","url":"http://localhost:15004","auth":"Basic","disabled":true}`, status: ok},
		{name: "is_default false looks nothing up", method: "PATCH", path: "/api/v2.0/scanners/no-such-uuid", user: "admin", body: `{"is_default":false}`, status: ok},
		{name: "ex_name is exact", method: "GET", path: "/api/v2.0/scanners?ex_name=fake-scanner", user: "admin", status: ok,
			header: map[string]string{"X-Total-Count": "1"}},
		{name: "name is fuzzy", method: "GET", path: "/api/v2.0/scanners?name=fake-scanner", user: "admin", status: ok,
			header: map[string]string{"X-Total-Count": "2"}},
		{name: "b514", method: "PUT", path: "/api/v2.0/scanners/no-such-uuid", user: "admin", body: fake, status: 404},
		{name: "b489", method: "PATCH", path: "/api/v2.0/scanners/no-such-uuid", user: "admin", body: `{"is_default":true}`, status: 404},
		{name: "b515 delete answers the registration", method: "DELETE", path: "/api/v2.0/scanners/" + second, user: "admin", status: ok,
			want: []string{`"capabilities":null`, `"name":"fake-scanner-basic"`}},
		{name: "b516", method: "DELETE", path: "/api/v2.0/scanners/" + second, user: "admin", status: 404},
		{name: "b517 back to the default", method: "GET", path: "/api/v2.0/projects/capart1/scanner", user: "admin", status: ok,
			want: []string{`"name":"fake-scanner"`}},
		{name: "b488", method: "PATCH", path: "/api/v2.0/scanners/" + first, user: "admin", body: `{"is_default":true}`, status: ok},
	})
}

// An index's report is its children's merged, each finding naming the
// children it was found in (v026: a CVE of both platforms lists both child
// digests, newest child first); the index has no hub rows of its own, its
// children do (v036).
func TestIndexReportMergesChildrenWithArtifactDigests(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("capart1", false)
	index, kids := srv.AddIndex("capart1", "multi", []string{"linux/amd64", "linux/arm64"}, "v1", "stable")
	sample := harbortest.SampleVulnerabilities()
	srv.SetReport("capart1", "multi", kids[0], sample[:2])  // amd64: CVE-2023-4863, CVE-2023-38545
	srv.SetReport("capart1", "multi", kids[1], sample[:1])  // arm64: CVE-2023-4863
	srv.SetReport("capart1", "multi", kids[1], sample[0:1]) // again: still one report per type

	st, _, body := call(t, srv, "GET", "/api/v2.0/projects/capart1/repositories/multi/artifacts/v1/additions/vulnerabilities", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st, body)
	var byType map[string]struct {
		Severity        string `json:"severity"`
		Vulnerabilities []struct {
			ID              string   `json:"id"`
			ArtifactDigests []string `json:"artifact_digests"`
		} `json:"vulnerabilities"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &byType))
	rep := byType["application/vnd.security.vulnerability.report; version=1.1"]
	require.Equal(t, "Critical", rep.Severity)
	require.Len(t, rep.Vulnerabilities, 2, body)
	require.Equal(t, "CVE-2023-4863", rep.Vulnerabilities[0].ID)
	require.Equal(t, []string{kids[1], kids[0]}, rep.Vulnerabilities[0].ArtifactDigests, "newest child first, as Harbor merges")
	require.Equal(t, "CVE-2023-38545", rep.Vulnerabilities[1].ID)
	require.Equal(t, []string{kids[0]}, rep.Vulnerabilities[1].ArtifactDigests)

	// The index's overview is the merged report's.
	st, _, body = call(t, srv, "GET", "/api/v2.0/projects/capart1/repositories/multi/artifacts/"+index+"?with_scan_overview=true", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st, body)
	require.Contains(t, body, `"scan_status":"Success"`)
	require.Contains(t, body, `"total":2`)

	// Hub rows: the children only (2 findings + 1, twice: two report types).
	_, h, body := call(t, srv, "GET", "/api/v2.0/security/vul?page_size=100", "admin", "Harbor12345", "")
	require.Equal(t, "6", h.Get("X-Total-Count"), body)
	require.NotContains(t, body, index)
}

// Scanning an index scans its children (v024); until every child has a
// report the index has none ({}), as Harbor answers.
func TestScanIndexScansChildren(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("p", false)
	_, kids := srv.AddIndex("p", "multi", []string{"linux/amd64", "linux/arm64/v8"}, "v1")
	srv.PlanScan("p", "multi", kids[1], harbortest.SampleVulnerabilities()[:1], 0)
	srv.PlanScan("p", "multi", "v1", harbortest.SampleVulnerabilities()[1:2], 0) // for the children without a plan
	path := "/api/v2.0/projects/p/repositories/multi/artifacts/v1"
	st, _, body := call(t, srv, "GET", path+"/additions/vulnerabilities", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st, body)
	require.JSONEq(t, `{}`, body)
	st, _, body = call(t, srv, "POST", path+"/scan", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusAccepted, st, body)
	_, _, body = call(t, srv, "GET", path+"/additions/vulnerabilities", "admin", "Harbor12345", "")
	require.Contains(t, body, `"id":"CVE-2023-4863"`)
	require.Contains(t, body, `"artifact_digests":["`+kids[1]+`"]`)
	require.Contains(t, body, `"artifact_digests":["`+kids[0]+`"]`)
	_, _, body = call(t, srv, "GET", "/api/v2.0/projects/p/repositories/multi/artifacts/"+kids[1], "admin", "Harbor12345", "")
	require.Contains(t, body, `"architecture":"arm64"`)
	require.Contains(t, body, `"variant":"v8"`)
	_, _, body = call(t, srv, "GET", path, "admin", "Harbor12345", "")
	require.Contains(t, body, `"platform":{"OsFeatures":null,"architecture":"arm64","os":"linux","variant":"v8"}`)
}
