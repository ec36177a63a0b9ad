package harbortest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func hubGet(t *testing.T, srv *harbortest.Server, pathQuery string) (int, http.Header, string) {
	t.Helper()
	return call(t, srv, "GET", "/api/v2.0/security/"+pathQuery, "admin", "Harbor12345", "")
}

// The hub answers as Harbor's handler and dao do (src/server/v2.0/handler/
// security.go, src/pkg/securityhub/dao/security.go).
func TestSecurityHubAsHarbor(t *testing.T) {
	srv := harbortest.New(t)
	pid := srv.AddProject("capart1", false)

	// No default scanner: an empty summary and no rows, whatever q holds.
	srv.AddImage("capart1", "web", "1")
	_, _, body := hubGet(t, srv, "summary")
	require.JSONEq(t, `{"critical_cnt":0,"fixable_cnt":0,"low_cnt":0,"medium_cnt":0,"scanned_cnt":0,"total_artifact":0,"total_vuls":0}`, body)
	st, h, body := hubGet(t, srv, "vul?q=nosuchkey%3D1")
	require.Equal(t, http.StatusOK, st, body)
	require.Equal(t, "0", h.Get("X-Total-Count"))
	require.Equal(t, "[]\n", body)

	sample := harbortest.SampleVulnerabilities()
	srv.SetReport("capart1", "web", "1", sample[:2]) // Critical 8.8, High 7.5
	for i := range 11 {
		srv.AddTag("capart1", "web", "1", fmt.Sprintf("t%d", i))
	}
	srv.AddImage("capart1", "api", "1")
	srv.SetReport("capart1", "api", "1", []harbortest.Vulnerability{{ID: "CVE-1", Package: "p", Version: "1", Severity: "Low"}})

	// Zero counts Harbor's model leaves out (omitempty); a digest repeated
	// per report in dangerous_artifacts (v035).
	_, _, body = hubGet(t, srv, "summary?with_dangerous_cve=true&with_dangerous_artifact=true")
	var sum map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(body), &sum))
	require.NotContains(t, sum, "none_cnt")
	require.NotContains(t, sum, "unknown_cnt")
	require.JSONEq(t, "2", string(sum["high_cnt"]))
	require.JSONEq(t, "2", string(sum["total_artifact"]))
	var dangerous []struct{ Digest string }
	require.NoError(t, json.Unmarshal(sum["dangerous_artifacts"], &dangerous))
	require.Len(t, dangerous, 4, "web and api, once per report type")
	require.Equal(t, dangerous[0].Digest, dangerous[1].Digest)
	var cves []struct {
		CVEID string `json:"cve_id"`
	}
	require.NoError(t, json.Unmarshal(sum["dangerous_cves"], &cves))
	require.Equal(t, []string{"CVE-2023-4863", "CVE-2023-38545", "CVE-1"}, []string{cves[0].CVEID, cves[1].CVEID, cves[2].CVEID}, "by score: one entry per record")

	// Paging: Link to the next page, X-Total-Count of all.
	_, h, body = hubGet(t, srv, "vul")
	require.Equal(t, "6", h.Get("X-Total-Count"))
	require.Empty(t, h.Get("Link"), "6 rows fit the default page of 10")
	_, h, _ = hubGet(t, srv, "vul?page_size=4")
	require.Equal(t, "6", h.Get("X-Total-Count"))
	require.Contains(t, h.Get("Link"), `page=2&page_size=4>; rel="next"`)
	require.Contains(t, body, `"tags":null`, "no tags without with_tag")
	require.Contains(t, body, `"links":[""]`, "Harbor splits no links into [\"\"]")
	_, _, body = hubGet(t, srv, "vul?page_size=1&with_tag=true")
	var rows []struct {
		CVEID string   `json:"cve_id"`
		Tags  []string `json:"tags"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &rows))
	require.Equal(t, "CVE-2023-4863", rows[0].CVEID, "highest CVSS first")
	require.Len(t, rows[0].Tags, 10, "at most 10 tags")
	require.Equal(t, "t10", rows[0].Tags[0], "newest first")

	for _, tc := range []struct {
		q     string
		total string
		err   string
	}{
		{"cve_id=CVE-2023-4863", "2", ""},
		{"cve_id=CVE-2023-4863,repository_name=capart1/web", "2", ""}, // v039's 400 was the fuzzy ~, not the pair
		{fmt.Sprintf("package=p,severity=Low,project_id=%d", pid), "2", ""},
		{"cvss_score_v3=[7.5~8]", "2", ""},
		{"cvss_score_v3=[7~]", "0", ""}, // an open bound is NULL in Harbor's between
		{"status=fixed", "0", ""},
		{"tag=t3", "4", ""},
		{"repository_name=~web", "", "keyword: repository_name, the query type is not allowed"},
		{"cve_id=~CVE", "", "keyword: cve_id, the query type is not allowed"},
		{"cvss_score_v3=8.8", "", "keyword: cvss_score_v3, the query type is not allowed"},
		{"severity={Low High}", "", "keyword: severity, the query type is not allowed"},
		{"nosuchkey=1", "", "keyword: nosuchkey is not allowed"},
	} {
		st, h, body := hubGet(t, srv, "vul?q="+url.QueryEscape(tc.q))
		if tc.err != "" {
			require.Equal(t, http.StatusBadRequest, st, tc.q)
			require.Contains(t, body, tc.err, tc.q)
			continue
		}
		require.Equal(t, http.StatusOK, st, body)
		require.Equal(t, tc.total, h.Get("X-Total-Count"), tc.q)
	}

	// security-hub:read is the summary's permission, security-hub:list the list's.
	_, secret := createRobot(t, srv, `{"name":"hubreader","level":"system","duration":30,"permissions":[{"kind":"system","namespace":"/","access":[{"resource":"security-hub","action":"read"}]}]}`)
	st, _, _ = call(t, srv, "GET", "/api/v2.0/security/summary", "robot$hubreader", secret, "")
	require.Equal(t, http.StatusOK, st)
	st, _, body = call(t, srv, "GET", "/api/v2.0/security/vul", "robot$hubreader", secret, "")
	require.Equal(t, http.StatusForbidden, st, body)
	require.True(t, strings.Contains(body, "FORBIDDEN"), body)
}
