package harbortest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// The security hub (src/server/v2.0/handler/security.go, src/pkg/securityhub/dao): a row per finding
// of every report of the default scanner per artifact with its digest; a scan stores two reports (one
// per type), so a finding counts twice (README 56). An index has no report: its children have.

// hubItem is a row of /security/vul as Harbor's model writes it.
type hubItem struct {
	CVEID     string   `json:"cve_id"`
	CVSS      float64  `json:"cvss_v3_score"`
	Desc      string   `json:"desc"`
	Digest    string   `json:"digest"`
	Fixed     string   `json:"fixed_version"`
	Links     []string `json:"links"`
	Package   string   `json:"package"`
	ProjectID int64    `json:"project_id"`
	Repo      string   `json:"repository_name"`
	Severity  string   `json:"severity"`
	Status    string   `json:"status,omitempty"`
	Tags      []string `json:"tags"`
	Version   string   `json:"version"`
	a         *artifact
	mime      string
	scored    bool // the finding has a CVSS v3 score
}

// hubRows lists each successful report's findings, highest CVSS v3 first, and counts the artifacts scanned.
func (s *Server) hubRows() (rows []hubItem, scanned int) {
	now := s.now()
	for _, name := range s.state.sortedProjectNames() {
		p := s.state.projectByName[name]
		for _, rn := range p.repoNames {
			repo := p.repos[rn]
			for _, a := range repo.artifacts {
				if len(a.references) > 0 || a.scan == nil || a.scan.status(now) != "Success" {
					continue
				}
				scanned++
				for _, mime := range reportMimes {
					rep, _ := a.scan.parsed(mime, a.digest)
					for _, v := range rep.Vulnerabilities {
						row := hubItem{CVEID: v.ID, Desc: v.Description, Digest: a.digest, Fixed: v.FixVersion,
							Links: v.Links, Package: v.Package, ProjectID: p.id, Repo: repo.name,
							Severity: harborSeverity(v.Severity), Status: v.Status, Version: v.Version, a: a, mime: mime}
						if len(v.Links) == 0 {
							row.Links = []string{""} // Harbor splits an empty "|"-joined list
						}
						if v.PreferredCVSS.ScoreV3 != nil {
							row.CVSS, row.scored = *v.PreferredCVSS.ScoreV3, true
						}
						rows = append(rows, row)
					}
				}
			}
		}
	}
	slices.SortStableFunc(rows, func(x, y hubItem) int { return cmp.Compare(y.CVSS, x.CVSS) })
	return rows, scanned
}

// securitySummary answers GET /security/summary, empty without a default scanner.
// high_cnt, none_cnt and unknown_cnt are omitempty in Harbor's model: a zero is left out.
func (s *Server) securitySummary(r *request) (answer, *apiError) {
	out := map[string]any{"critical_cnt": 0, "fixable_cnt": 0, "low_cnt": 0, "medium_cnt": 0,
		"scanned_cnt": 0, "total_artifact": 0, "total_vuls": 0}
	if _, _, ok := s.scannerFor(nil); !ok {
		return reply(out)
	}
	rows, scanned := s.hubRows()
	out["scanned_cnt"], out["total_artifact"], out["total_vuls"] = scanned, s.state.artifactCount(), len(rows)
	for _, row := range rows {
		k := strings.ToLower(row.Severity) + "_cnt" // critical_cnt ... unknown_cnt
		n, _ := out[k].(int)
		out[k] = n + 1
		if row.Fixed != "" {
			out["fixable_cnt"] = out["fixable_cnt"].(int) + 1
		}
	}
	q := r.URL.Query()
	if swaggerBool(q.Get("with_dangerous_cve"), false) {
		out["dangerous_cves"] = dangerousCVEs(rows)
	}
	if swaggerBool(q.Get("with_dangerous_artifact"), false) {
		out["dangerous_artifacts"] = dangerousArtifacts(rows)
	}
	return reply(out)
}

// dangerousCVEs: the 5 findings (id, package, version) of highest CVSS v3 score, then severity.
func dangerousCVEs(rows []hubItem) any {
	sorted := slices.SortedStableFunc(slices.Values(rows), func(x, y hubItem) int {
		return cmp.Or(cmp.Compare(y.CVSS, x.CVSS), severityRank[y.Severity]-severityRank[x.Severity])
	})
	seen := map[string]bool{}
	var list []map[string]any
	for _, row := range sorted {
		key := row.CVEID + "\x00" + row.Package + "\x00" + row.Version
		if !row.scored || seen[key] || len(list) == 5 {
			continue
		}
		seen[key] = true
		list = append(list, map[string]any{"cve_id": row.CVEID, "cvss_score_v3": row.CVSS,
			"package": row.Package, "severity": row.Severity, "version": row.Version})
	}
	return list // null when there are none
}

// dangerousArtifacts: the 5 (artifact, report) pairs with the most Critical, then High, Medium
// and Low findings; an artifact appears once per report (v035 repeats digests).
func dangerousArtifacts(rows []hubItem) any {
	type art struct {
		Critical int    `json:"critical_cnt"`
		Digest   string `json:"digest"`
		High     int    `json:"high_cnt"`
		Medium   int    `json:"medium_cnt"`
		Project  int64  `json:"project_id"`
		Repo     string `json:"repository_name"`
		low      int
	}
	var list []*art
	byKey := map[string]*art{}
	for _, row := range rows {
		k := row.Repo + "@" + row.Digest + " " + row.mime
		x := byKey[k]
		if x == nil {
			x = &art{Digest: row.Digest, Project: row.ProjectID, Repo: row.Repo}
			byKey[k] = x
			list = append(list, x)
		}
		counts := map[string]*int{"Critical": &x.Critical, "High": &x.High, "Medium": &x.Medium, "Low": &x.low}
		if n := counts[row.Severity]; n != nil {
			*n++
		}
	}
	list = slices.DeleteFunc(list, func(a *art) bool { return a.Critical+a.High+a.Medium+a.low == 0 })
	slices.SortStableFunc(list, func(x, y *art) int {
		return slices.Compare([]int{y.Critical, y.High, y.Medium, y.low}, []int{x.Critical, x.High, x.Medium, x.low})
	})
	if len(list) == 0 {
		return nil
	}
	return list[:min(len(list), 5)]
}

// hubKeys are the q keys /security/vul accepts (dao filterMap): exact values, cvss_score_v3 a range.
var hubKeys = set("cve_id", "severity", "status", "cvss_score_v3", "project_id", "repository_name",
	"package", "tag", "digest")

// listVulnerabilities pages (10 by default) the rows matching q; tune_count=true: total -1 past 1000.
func (s *Server) listVulnerabilities(r *request, pp pageParams) (answer, *apiError) {
	q, e := parseQuery(r) // after access, as Harbor
	if e != nil {
		return answer{}, e
	}
	if _, _, ok := s.scannerFor(nil); !ok { // before the keys are checked, as Harbor does
		r.header.Set("X-Total-Count", "0")
		return reply([]hubItem{})
	}
	for k, t := range q.terms {
		if !hubKeys[k] {
			return answer{}, errBadRequest("bad request: keyword: " + k + " is not allowed")
		}
		if (t.kind == qRange) != (k == "cvss_score_v3") || t.kind != qRange && t.kind != qExact {
			return answer{}, errBadRequest("bad request: keyword: " + k + ", the query type is not allowed")
		}
	}
	withTag := swaggerBool(r.URL.Query().Get("with_tag"), false)
	rows, _ := s.hubRows()
	var items []hubItem
	for _, row := range rows {
		tags := mapped(row.a.tags, func(t *tag) string { return t.name })
		if !matchHub(q, row, tags) {
			continue
		}
		if withTag { // newest first, at most 10 (controller.attachTags)
			row.Tags = append([]string{}, tags[max(0, len(tags)-10):]...)
			slices.Reverse(row.Tags)
		}
		items = append(items, row)
	}
	a, e := page(r, items, pp)
	if swaggerBool(r.URL.Query().Get("tune_count"), false) && len(items) > 1000 {
		r.header.Set("X-Total-Count", "-1")
	}
	return a, e
}

func matchHub(q *query, row hubItem, tags []string) bool {
	if t, ok := q.terms["cvss_score_v3"]; ok {
		lo, err1 := strconv.ParseFloat(t.min, 64)
		hi, err2 := strconv.ParseFloat(t.max, 64)
		// An open bound is NULL in Harbor's "between ? and ?": no row matches.
		if err1 != nil || err2 != nil || row.CVSS < lo || row.CVSS > hi {
			return false
		}
	}
	return q.str("cve_id", row.CVEID) && q.str("severity", row.Severity) && q.str("status", row.Status) &&
		q.str("package", row.Package) && q.str("digest", row.Digest) && q.str("repository_name", row.Repo) &&
		q.num("project_id", row.ProjectID) && q.strs("tag", tags)
}
