package harbortest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// severityRank orders Harbor's severities; Negligible is stored as None.
var severityRank = map[string]int{"Unknown": 0, "None": 1, "Negligible": 1, "Low": 2, "Medium": 3, "High": 4, "Critical": 5}

// harborSeverity is the severity as Harbor stores it.
func harborSeverity(sev string) string {
	if sev == "Negligible" {
		return "None"
	}
	if _, ok := severityRank[sev]; !ok {
		return "Unknown"
	}
	return sev
}

type cvssJSON struct {
	ScoreV3  *float64 `json:"score_v3"`
	ScoreV2  *float64 `json:"score_v2"`
	VectorV3 string   `json:"vector_v3"`
	VectorV2 string   `json:"vector_v2"`
}

type vulnJSON struct {
	ID               string         `json:"id"`
	Package          string         `json:"package"`
	Version          string         `json:"version"`
	FixVersion       string         `json:"fix_version"`
	Severity         string         `json:"severity"`
	Status           string         `json:"status"`
	Description      string         `json:"description"`
	Links            []string       `json:"links"`
	ArtifactDigests  []string       `json:"artifact_digests"`
	PreferredCVSS    cvssJSON       `json:"preferred_cvss"`
	CWEIDs           []string       `json:"cwe_ids"`
	VendorAttributes map[string]any `json:"vendor_attributes"`
}

type reportScannerJSON struct {
	Name    string `json:"name"`
	Vendor  string `json:"vendor"`
	Version string `json:"version"`
}

type reportJSON struct {
	GeneratedAt     string            `json:"generated_at"`
	Scanner         reportScannerJSON `json:"scanner"`
	Severity        string            `json:"severity"`
	Vulnerabilities []vulnJSON        `json:"vulnerabilities"`
}

// reportSummary is what an overview and the security hub need of a report.
type reportSummary struct {
	severity string
	counts   map[string]int
	fixable  int
	total    int
}

// summarize computes the summary of a finished scan's report of type mime.
func (sc *scanRun) summarize(mime string) reportSummary {
	sum := reportSummary{severity: "None", counts: map[string]int{}}
	add := func(sev, fix string) {
		sev = harborSeverity(sev)
		sum.counts[sev]++
		sum.total++
		if fix != "" {
			sum.fixable++
		}
		if severityRank[sev] > severityRank[sum.severity] {
			sum.severity = sev
		}
	}
	if raw, ok := sc.raw[mime]; ok {
		var rep struct {
			Severity        string `json:"severity"`
			Vulnerabilities []struct {
				Severity   string `json:"severity"`
				FixVersion string `json:"fix_version"`
			} `json:"vulnerabilities"`
		}
		_ = json.Unmarshal(raw, &rep)
		for _, v := range rep.Vulnerabilities {
			add(v.Severity, v.FixVersion)
		}
		if rep.Severity != "" {
			sum.severity = rep.Severity
		}
		return sum
	}
	for _, v := range sc.vulns {
		add(v.Severity, v.FixVersion)
	}
	return sum
}

// report renders the stored report of type mime for digest, once: a
// finished report does not change. Callers hold s.mu.
func (sc *scanRun) report(mime, digest string) json.RawMessage {
	if raw, ok := sc.raw[mime]; ok {
		return raw
	}
	if b, ok := sc.rendered[mime]; ok {
		return b
	}
	if sc.rendered == nil {
		sc.rendered = map[string][]byte{}
	}
	b := sc.render(mime, digest)
	sc.rendered[mime] = b
	return b
}

func (sc *scanRun) render(mime, digest string) json.RawMessage {
	rep := reportJSON{GeneratedAt: sc.generated.UTC().Format("2006-01-02T15:04:05.000000Z"),
		Scanner:  reportScannerJSON(sc.scanner),
		Severity: sc.summarize(mime).severity, Vulnerabilities: []vulnJSON{}}
	for _, v := range sc.vulns {
		vj := vulnJSON{ID: v.ID, Package: v.Package, Version: v.Version, FixVersion: v.FixVersion,
			Severity: harborSeverity(v.Severity), Description: v.Description, Links: v.Links,
			ArtifactDigests: []string{digest}, CWEIDs: v.CWEIDs,
			VendorAttributes: map[string]any{"CVSS": map[string]any{}}}
		if vj.Links == nil {
			vj.Links = []string{}
		}
		if vj.CWEIDs == nil {
			vj.CWEIDs = []string{""}
		}
		score := v.CVSSv3
		vj.PreferredCVSS.ScoreV3 = &score
		if v.CVSSv3 > 0 {
			vj.VendorAttributes["CVSS"] = map[string]any{"nvd": map[string]any{"V3Score": v.CVSSv3}}
		}
		rep.Vulnerabilities = append(rep.Vulnerabilities, vj)
	}
	b, _ := json.Marshal(rep)
	return b
}

// scanOverview is an artifact's scan_overview entry for mime. Callers hold s.mu.
func (s *Server) scanOverview(a *artifact, mime string) map[string]any {
	sc := a.scan
	now := s.now()
	status := sc.status(now)
	out := map[string]any{"report_id": sc.reportIDs[mime], "scan_status": status,
		"start_time": zeroTime, "end_time": zeroTime}
	if status == "Pending" {
		return out
	}
	out["start_time"] = harborTime(sc.start.Truncate(time.Second))
	if status == "Running" {
		out["complete_percent"] = 50
		return out
	}
	end := sc.done
	out["end_time"] = harborTime(end.Truncate(time.Second))
	out["duration"] = int64(end.Sub(sc.start) / time.Second)
	out["complete_percent"] = 100
	out["scanner"] = reportScannerJSON(sc.scanner)
	if status != "Success" {
		return out
	}
	sum := sc.summarize(mime)
	out["severity"] = sum.severity
	out["summary"] = map[string]any{"fixable": sum.fixable, "summary": sum.counts, "total": sum.total}
	return out
}

// noScanner is Harbor's answer when no scanner is registered.
func noScanner(p *project) *apiError {
	return errNotFound(fmt.Sprintf("no scanner registration configured for project: %d", p.id))
}

func (s *Server) scanArtifact(r *request) (answer, *apiError) {
	var body struct {
		ScanType string `json:"scan_type"`
	}
	if data, _ := io.ReadAll(r.Body); len(strings.TrimSpace(string(data))) > 0 {
		if err := json.Unmarshal(data, &body); err != nil {
			return answer{}, errBadRequest("invalid scan request: " + err.Error())
		}
	}
	if body.ScanType != "" && body.ScanType != "vulnerability" && body.ScanType != "sbom" {
		return answer{}, errUnprocessable("validation failure list:\nscan_type in body should be one of [vulnerability sbom]")
	}
	p, repo, a, e := s.artifactFromRequest(r, "scan", "create")
	if e != nil {
		return answer{}, e
	}
	_, scannerName, ok := s.scannerFor(p)
	if !ok { // Harbor's scan controller (base_controller.go), set3/t010
		return answer{}, errPrecondition(fmt.Sprintf("no available scanner for project: %d", p.id))
	}
	if a.typ != "" && a.typ != "IMAGE" {
		return answer{}, errBadRequest(fmt.Sprintf("the configured scanner %s does not support scanning artifact with mime type application/vnd.oci.image.manifest.v1+json", scannerName))
	}
	if body.ScanType == "sbom" {
		s.generateSBOM(repo, a)
		s.watchScan(p, repo, a, r.PathValue("reference"), r.id.name(s.state.robotPrefix), true)
		return answer{status: http.StatusAccepted}, nil
	}
	now := s.now()
	if a.scan != nil {
		if st := a.scan.status(now); st == "Pending" || st == "Running" {
			return answer{}, errConflict("a previous scan process is " + st)
		}
	}
	plan, ok := s.state.sec.planned[a.id]
	if ok {
		delete(s.state.sec.planned, a.id)
	} else {
		plan = plannedScan{delay: s.state.sec.scanDelay}
	}
	a.scan = s.newScanLocked(now, now.Add(plan.delay), plan.fail, plan.vulns)
	s.watchScan(p, repo, a, r.PathValue("reference"), r.id.name(s.state.robotPrefix), false)
	return answer{status: http.StatusAccepted}, nil
}

func (s *Server) stopScanArtifact(r *request) (answer, *apiError) {
	_, _, a, e := s.artifactFromRequest(r, "scan", "stop")
	if e != nil {
		return answer{}, e
	}
	if a.scan != nil {
		if st := a.scan.status(s.now()); st == "Pending" || st == "Running" {
			a.scan.stopped = true
			s.fireDueScansLocked()
		}
	}
	return answer{status: http.StatusAccepted}, nil
}

func (s *Server) getReportLog(r *request) (answer, *apiError) {
	id := r.PathValue("report_id")
	_, _, a, e := s.artifactFromRequest(r, "scan", "read")
	var st string
	if e == nil {
		found := false
		if a.scan != nil {
			for _, rid := range a.scan.reportIDs {
				found = found || rid == id
			}
			st = a.scan.status(s.now())
		}
		if !found {
			e = errBadRequest("bad request: invalid UUID " + id)
		}
	}
	if e != nil {
		return answer{}, e
	}
	return reply(textBody(fmt.Sprintf("harbortest scan log: report %s, status %s\n", id, st)))
}

// getVulnerabilitiesAddition answers {mime: report} for a finished scan
// and {} for an artifact never scanned or whose scan has not succeeded.
func (s *Server) getVulnerabilitiesAddition(r *request) (answer, *apiError) {
	mime := acceptedReport(r)
	p, _, a, e := s.artifactFromRequest(r, "artifact-addition", "read")
	if _, _, ok := s.scannerFor(p); e == nil && !ok {
		e = noScanner(p)
	}
	if e != nil {
		return answer{}, e
	}
	var rep json.RawMessage
	if a.scan != nil && a.scan.status(s.now()) == "Success" {
		if _, seeded := a.scan.raw[mime]; seeded || a.scan.raw == nil {
			rep = a.scan.report(mime, a.digest)
		}
	}
	// {mime: report}, written as is: the report is already JSON.
	r.header.Set("Content-Type", "application/json")
	if rep == nil {
		return reply(verbatim("{}\n"))
	}
	key, _ := json.Marshal(mime)
	return reply(verbatim(slices.Concat([]byte("{"), key, []byte(":"), rep, []byte("}\n"))))
}

// hubRow is one vulnerability of one stored report, as the security hub
// sees it: every scan stores two reports, so every finding counts twice.
type hubRow struct {
	p    *project
	repo *repository
	a    *artifact
	v    vulnJSON
}

// hubRows collects the findings of every successful report. Callers hold s.mu.
func (s *Server) hubRows() (rows []hubRow, scanned, total int) {
	now := s.now()
	for _, name := range s.state.sortedProjectNames() {
		p := s.state.projectByName[name]
		for _, rn := range p.repoNames {
			repo := p.repos[rn]
			for _, a := range repo.artifacts {
				total++
				if a.scan == nil || a.scan.status(now) != "Success" {
					continue
				}
				scanned++
				for _, mime := range []string{mimeGenericReport, mimeNativeReport} {
					if _, ok := a.scan.reportIDs[mime]; !ok {
						continue
					}
					var rep reportJSON
					if err := json.Unmarshal(a.scan.report(mime, a.digest), &rep); err != nil {
						continue
					}
					for _, v := range rep.Vulnerabilities {
						v.Severity = harborSeverity(v.Severity)
						rows = append(rows, hubRow{p: p, repo: repo, a: a, v: v})
					}
				}
			}
		}
	}
	return rows, scanned, total
}

func (s *Server) requireSecurityHub(r *request) *apiError {
	if !r.id.authenticated() {
		return errUnauthorized()
	}
	if !s.canSystem(r.id, "security-hub", "read") {
		return errForbidden(r.id.name(s.cfg.robotPrefix))
	}
	return nil
}

func (s *Server) securitySummary(r *request) (answer, *apiError) {
	if e := s.requireSecurityHub(r); e != nil {
		return answer{}, e
	}
	rows, scanned, total := s.hubRows()
	out := map[string]any{"scanned_cnt": scanned, "total_artifact": total, "total_vuls": len(rows)}
	keys := map[string]string{"Critical": "critical_cnt", "High": "high_cnt", "Medium": "medium_cnt",
		"Low": "low_cnt", "None": "none_cnt", "Unknown": "unknown_cnt"}
	for _, k := range keys {
		out[k] = 0
	}
	fixable := 0
	for _, row := range rows {
		out[keys[row.v.Severity]] = out[keys[row.v.Severity]].(int) + 1
		if row.v.FixVersion != "" {
			fixable++
		}
	}
	out["fixable_cnt"] = fixable
	q := r.URL.Query()
	if swaggerBool(q.Get("with_dangerous_cve"), false) {
		type cve struct {
			CVEID    string  `json:"cve_id"`
			CVSS     float64 `json:"cvss_score_v3"`
			Package  string  `json:"package"`
			Severity string  `json:"severity"`
			Version  string  `json:"version"`
		}
		seen := map[string]bool{}
		var list []cve
		for _, row := range sortedRows(rows) {
			if seen[row.v.ID] || len(list) == 5 {
				continue
			}
			seen[row.v.ID] = true
			list = append(list, cve{row.v.ID, score(row.v), row.v.Package, row.v.Severity, row.v.Version})
		}
		out["dangerous_cves"] = list
	}
	if swaggerBool(q.Get("with_dangerous_artifact"), false) {
		type art struct {
			Critical int    `json:"critical_cnt"`
			Digest   string `json:"digest"`
			High     int    `json:"high_cnt"`
			Medium   int    `json:"medium_cnt"`
			Project  int64  `json:"project_id"`
			Repo     string `json:"repository_name"`
		}
		var list []art
		idx := map[*artifact]int{}
		for _, row := range rows {
			i, ok := idx[row.a]
			if !ok {
				i = len(list)
				idx[row.a] = i
				list = append(list, art{Digest: row.a.digest, Project: row.p.id, Repo: row.repo.name})
			}
			switch row.v.Severity {
			case "Critical":
				list[i].Critical++
			case "High":
				list[i].High++
			case "Medium":
				list[i].Medium++
			}
		}
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].Critical != list[j].Critical {
				return list[i].Critical > list[j].Critical
			}
			return list[i].High > list[j].High
		})
		out["dangerous_artifacts"] = list[:min(len(list), 5)]
	}
	return reply(out)
}

func score(v vulnJSON) float64 {
	if v.PreferredCVSS.ScoreV3 == nil {
		return 0
	}
	return *v.PreferredCVSS.ScoreV3
}

func sortedRows(rows []hubRow) []hubRow {
	out := append([]hubRow(nil), rows...)
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := severityRank[out[i].v.Severity], severityRank[out[j].v.Severity]
		if ri != rj {
			return ri > rj
		}
		return score(out[i].v) > score(out[j].v)
	})
	return out
}

// hubKeys are the q keys /security/vul accepts.
var hubKeys = map[string]bool{"cve_id": true, "severity": true, "cvss_score_v3": true, "project_id": true,
	"repository_name": true, "package": true, "tag": true, "digest": true}

func (s *Server) listVulnerabilities(r *request) (answer, *apiError) {
	pp, q, le := parseList(r)
	if le != nil {
		return answer{}, le
	}
	for k, t := range q.terms {
		if !hubKeys[k] {
			return answer{}, errBadRequest("bad request: keyword: " + k + " is not allowed")
		}
		if t.kind == qFuzzy && k != "cve_id" && k != "package" && k != "tag" {
			return answer{}, errBadRequest("bad request: keyword: " + k + ", the query type is not allowed")
		}
	}
	withTag := swaggerBool(r.URL.Query().Get("with_tag"), false)
	if e := s.requireSecurityHub(r); e != nil {
		return answer{}, e
	}
	rows, _, _ := s.hubRows()
	type item struct {
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
		Tags      []string `json:"tags"`
		Version   string   `json:"version"`
	}
	var items []item
	for _, row := range sortedRows(rows) {
		if !matchHub(q, row) {
			continue
		}
		it := item{CVEID: row.v.ID, CVSS: score(row.v), Desc: row.v.Description, Digest: row.a.digest,
			Fixed: row.v.FixVersion, Links: row.v.Links, Package: row.v.Package, ProjectID: row.p.id,
			Repo: row.repo.name, Severity: row.v.Severity, Version: row.v.Version}
		if withTag {
			for i := len(row.a.tags) - 1; i >= 0; i-- {
				it.Tags = append(it.Tags, row.a.tags[i].name)
			}
		}
		items = append(items, it)
	}
	start, end := pp.bounds(len(items))
	page := items[start:end]
	if page == nil {
		page = []item{}
	}
	setPagination(r.header, r, len(items), pp)
	return reply(page)
}

func matchHub(q *query, row hubRow) bool {
	tags := make([]string, len(row.a.tags))
	for i, t := range row.a.tags {
		tags[i] = t.name
	}
	if t, ok := q.term("cvss_score_v3"); ok {
		v := score(row.v)
		lo, err1 := strconv.ParseFloat(t.min, 64)
		hi, err2 := strconv.ParseFloat(t.max, 64)
		if t.kind != qRange || (t.min != "" && (err1 != nil || v < lo)) || (t.max != "" && (err2 != nil || v > hi)) {
			return false
		}
	}
	return q.str("cve_id", row.v.ID) && q.str("severity", row.v.Severity) && q.str("package", row.v.Package) &&
		q.str("digest", row.a.digest) && q.str("repository_name", row.repo.name) &&
		q.num("project_id", row.p.id) && q.strs("tag", tags)
}
