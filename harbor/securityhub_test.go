package harbor_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/securityhub"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func TestSecurityHubQueryAndDedup(t *testing.T) {
	srv, c := auditRegistry(t)
	ctx := context.Background()
	collect := func(q harbor.HubQuery) []harbor.HubFinding {
		var out []harbor.HubFinding
		for f, err := range c.SecurityHub(ctx, q) {
			require.NoError(t, err)
			out = append(out, f)
		}
		return out
	}
	// Harbor lists each finding once per report type (2); the helper once.
	all := collect(harbor.HubQuery{CVE: "CVE-2023-4863"})
	require.Len(t, all, 5)
	srv.ResetRequests()
	crit := collect(harbor.HubQuery{Severity: "critical", Repository: "capart2/multi", MinCVSS: 8, MaxCVSS: 9})
	require.Len(t, crit, 2)
	require.Equal(t, "q=severity%3DCritical%2Crepository_name%3Dcapart2%252Fmulti%2Ccvss_score_v3%3D%255B8~9%255D",
		qOf(srv.Requests()[0].RawQuery), "each value escaped once more for Harbor's q")
	for _, f := range crit {
		require.Equal(t, harbor.SeverityCritical, f.Severity)
		require.Equal(t, "capart2", f.Project)
		require.Equal(t, "multi", f.Repository)
	}
	require.Empty(t, collect(harbor.HubQuery{CVE: "CVE-2023-4863", MinCVSS: 9}))
	// A package name with "+" reaches Harbor as written (Harbor unescapes q once more).
	srv.AddImage("capart1", "cpp", "1")
	srv.SetReport("capart1", "cpp", "1", []harbortest.Vulnerability{{ID: "CVE-2022-27943", Package: "g++-12", Version: "12", Severity: "Low"}})
	got := collect(harbor.HubQuery{Package: "g++-12"})
	require.Len(t, got, 1)
	require.Equal(t, "g++-12", got[0].Package)
	require.Equal(t, []string{"1"}, got[0].Tags)
	require.Nil(t, got[0].PreferredCVSS, "no score")

	srv.ResetRequests()
	for _, q := range []harbor.HubQuery{{CVE: "a,b"}, {Severity: "urgent"}, {ProjectID: -1}, {MinCVSS: 5, MaxCVSS: 4},
		{MaxCVSS: 11}, {MinCVSS: math.NaN()}} {
		for _, err := range c.SecurityHub(ctx, q) {
			require.ErrorContains(t, err, "harbor: SecurityHub: ", "%+v", q)
		}
	}
	require.Empty(t, srv.Requests())
}

func qOf(rawQuery string) string {
	for _, kv := range strings.Split(rawQuery, "&") {
		if strings.HasPrefix(kv, "q=") {
			return kv
		}
	}
	return ""
}

// 18.5: an index's report names, per finding, the children it was found in:
// the recorded answer (v026) and harbortest's, read through the facade.
func TestIndexReportNamesItsChildren(t *testing.T) {
	const amd, arm = "sha256:92a9b70b62e12856fb2a852266e46c86bf4e4e1676f16a4f70cca40a4b2dcf03", "sha256:82d87f890b92d4ea69687f43a754ead6f63e5b7f2d3c57833dcf7686c94ef75b"
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serveCapture(t, w, "v026_vulnerabilities_addition_index.txt")
	}))
	defer ts.Close()
	c, err := harbor.NewClient(ts.URL)
	require.NoError(t, err)
	rep, err := c.VulnerabilityReport(context.Background(), "capart1", "multi", "v1", "")
	require.NoError(t, err)
	require.Len(t, rep.Vulnerabilities, 6)
	require.Equal(t, []string{arm, amd}, rep.Vulnerabilities[0].ArtifactDigests)

	_, admin := auditRegistry(t)
	rep, err = admin.VulnerabilityReport(context.Background(), "capart1", "multi", "v1", harbor.ReportNative)
	require.NoError(t, err)
	require.Len(t, rep.Vulnerabilities, 2)
	require.Equal(t, "CVE-2023-4863", rep.Vulnerabilities[0].ID)
	require.Len(t, rep.Vulnerabilities[0].ArtifactDigests, 2, "both platforms")
	require.Len(t, rep.Vulnerabilities[1].ArtifactDigests, 1, "amd64 only")
}

// The security hub filtered by severity and CVSS score: each finding once,
// although Harbor lists it once per stored report type.
func ExampleClient_SecurityHub() {
	srv := harbortest.NewServer()
	defer srv.Close()
	srv.AddProject("shop", false)
	srv.AddImage("shop", "api", "1.0")
	srv.SetReport("shop", "api", "1.0", harbortest.SampleVulnerabilities())

	c, _ := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	for f, err := range c.SecurityHub(context.Background(), harbor.HubQuery{MinCVSS: 7, Repository: "shop/api"}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(f.ID, f.Severity, f.CVSSv3(), f.Package, f.Project+"/"+f.Repository, f.Tags)
	}
	// Output:
	// CVE-2023-4863 Critical 8.8 libwebp7 shop/api [1.0]
	// CVE-2023-38545 High 7.5 libcurl4 shop/api [1.0]
}

// tiedHub is a security hub that, like Harbor's database, orders rows of
// equal CVSS score differently on every page: 3 projects of 2 repositories
// of 30 images, two rows (report types) each, all of CVE-1. listed is how
// many projects GET /projects shows.
func tiedHub(t *testing.T, listed int) *httptest.Server {
	type row struct {
		ProjectID int64  `json:"project_id"`
		Repo      string `json:"repository_name"`
		Digest    string `json:"digest"`
		CVE       string `json:"cve_id"`
		Severity  string `json:"severity"`
	}
	var rows []row
	for p := 1; p <= 3; p++ {
		for r := 1; r <= 2; r++ {
			for i := range 60 {
				rows = append(rows, row{int64(p), fmt.Sprintf("p%d/r%d", p, r), fmt.Sprintf("sha256:%d%d%02d", p, r, i/2), "CVE-1", "High"})
			}
		}
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		page, _ := strconv.Atoi(cmp.Or(r.URL.Query().Get("page"), "1"))
		size, _ := strconv.Atoi(cmp.Or(r.URL.Query().Get("page_size"), "10"))
		write := func(total int, v any) {
			w.Header().Set("X-Total-Count", strconv.Itoa(total))
			require.NoError(t, json.NewEncoder(w).Encode(v))
		}
		switch {
		case r.URL.Path == "/api/v2.0/projects":
			var ps []map[string]any
			for p := 1; p <= listed; p++ {
				ps = append(ps, map[string]any{"project_id": p, "name": fmt.Sprintf("p%d", p)})
			}
			write(listed, ps)
		case strings.HasSuffix(r.URL.Path, "/repositories"):
			p := strings.Split(r.URL.Path, "/")[4]
			write(2, []map[string]string{{"name": p + "/r1"}, {"name": p + "/r2"}})
		case r.URL.Path == "/api/v2.0/security/vul":
			q, _ := url.QueryUnescape(r.URL.Query().Get("q"))
			var match []row
			for _, x := range rows {
				if strings.Contains(q, fmt.Sprintf("project_id=%d", x.ProjectID)) || !strings.Contains(q, "project_id=") {
					if strings.Contains(q, "repository_name="+x.Repo) || !strings.Contains(q, "repository_name=") {
						match = append(match, x)
					}
				}
			}
			rand.New(rand.NewPCG(uint64(page), uint64(len(match)))).Shuffle(len(match), func(i, j int) { match[i], match[j] = match[j], match[i] })
			lo, hi := min((page-1)*size, len(match)), min(page*size, len(match))
			write(len(match), match[lo:hi])
		default:
			http.NotFound(w, r)
		}
	}))
}

// Rows of equal score that span pages are read project by project and
// repository by repository: every finding, once.
func TestSecurityHubReadsTiedRowsExactly(t *testing.T) {
	ts := tiedHub(t, 3)
	defer ts.Close()
	c, err := harbor.NewClient(ts.URL)
	require.NoError(t, err)
	seen := map[string]bool{}
	for f, err := range c.SecurityHub(context.Background(), harbor.HubQuery{CVE: "CVE-1"}) {
		require.NoError(t, err)
		require.False(t, seen[f.Project+f.Repository+f.Digest], "once")
		seen[f.Project+f.Repository+f.Digest] = true
	}
	require.Len(t, seen, 180)

	// Paged as Harbor pages them, the same rows lose some: what the split avoids.
	paged := map[string]bool{}
	for it, err := range harbor.All(context.Background(), c.API().Securityhub.ListVulnerabilities, securityhub.NewListVulnerabilitiesParams()) {
		require.NoError(t, err)
		paged[it.RepositoryName+it.Digest] = true
	}
	require.Less(t, len(paged), 180)

	// An identity that is not shown every project: an error, not fewer rows.
	ts2 := tiedHub(t, 2)
	defer ts2.Close()
	c2, err := harbor.NewClient(ts2.URL)
	require.NoError(t, err)
	var last error
	for _, err := range c2.SecurityHub(context.Background(), harbor.HubQuery{CVE: "CVE-1"}) {
		last = err
	}
	require.ErrorContains(t, last, "harbor: SecurityHub: q=cve_id=CVE-1: 240 rows read in parts, Harbor counts 360")
}
