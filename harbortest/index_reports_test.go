package harbortest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

// An index's report is its children's merged, each finding naming the
// children it was found in (v026: a CVE of both platforms lists both child
// digests, newest child first); the index has no hub rows of its own, its
// children do (v036).
func TestIndexReportMergesChildrenWithArtifactDigests(t *testing.T) {
	srv := harbortest.NewServer()
	defer srv.Close()
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
	srv := harbortest.NewServer()
	defer srv.Close()
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
