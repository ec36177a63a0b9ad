package harbortest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"
)

// severityRank orders Harbor's severities; Negligible is stored as None.
var severityRank = map[string]int{"Unknown": 0, "None": 1, "Negligible": 1, "Low": 2, "Medium": 3, "High": 4, "Critical": 5}

func harborSeverity(sev string) string {
	if sev == "Negligible" {
		return "None"
	}
	if _, ok := severityRank[sev]; !ok {
		return "Unknown"
	}
	return sev
}

type vulnJSON struct {
	ID              string   `json:"id"`
	Package         string   `json:"package"`
	Version         string   `json:"version"`
	FixVersion      string   `json:"fix_version"`
	Severity        string   `json:"severity"`
	Status          string   `json:"status"`
	Description     string   `json:"description"`
	Links           []string `json:"links"`
	ArtifactDigests []string `json:"artifact_digests"`
	PreferredCVSS   struct {
		ScoreV3  *float64 `json:"score_v3"`
		ScoreV2  *float64 `json:"score_v2"`
		VectorV3 string   `json:"vector_v3"`
		VectorV2 string   `json:"vector_v2"`
	} `json:"preferred_cvss"`
	CWEIDs           []string       `json:"cwe_ids"`
	VendorAttributes map[string]any `json:"vendor_attributes"`
}

type reportJSON struct {
	GeneratedAt     string     `json:"generated_at"`
	Scanner         Scanner    `json:"scanner"`
	Severity        string     `json:"severity"`
	Vulnerabilities []vulnJSON `json:"vulnerabilities"`
}

// reportSummary is what an overview and the security hub need of a report.
type reportSummary struct {
	severity string
	counts   map[string]int
	fixable  int
	total    int
}

func (sc *scanRun) summarize(mime string) reportSummary {
	var rep reportJSON
	if raw, ok := sc.raw[mime]; ok {
		_ = json.Unmarshal(raw, &rep)
	} else {
		for _, v := range sc.vulns {
			rep.Vulnerabilities = append(rep.Vulnerabilities, vulnJSON{Severity: v.Severity, FixVersion: v.FixVersion})
		}
	}
	sum := reportSummary{severity: "None", counts: map[string]int{}, total: len(rep.Vulnerabilities)}
	for _, v := range rep.Vulnerabilities {
		sev := harborSeverity(v.Severity)
		sum.counts[sev]++
		if v.FixVersion != "" {
			sum.fixable++
		}
		if severityRank[sev] > severityRank[sum.severity] {
			sum.severity = sev
		}
	}
	sum.severity = cmp.Or(rep.Severity, sum.severity) // a raw report's own severity wins
	return sum
}

// reportMimes are the types of the reports a scan stores.
var reportMimes = []string{mimeGenericReport, mimeNativeReport}

// parsed is the report of type mime for digest; ok is false (rep empty) when there is none.
func (sc *scanRun) parsed(mime, digest string) (rep reportJSON, ok bool) {
	if _, ok := sc.reportIDs[mime]; !ok || json.Unmarshal(sc.report(mime, digest), &rep) != nil {
		return reportJSON{}, false
	}
	return rep, true
}

// report renders the report of type mime for digest once: it does not change. Callers hold s.mu.
func (sc *scanRun) report(mime, digest string) json.RawMessage {
	if raw, ok := sc.raw[mime]; ok {
		return raw
	}
	if b := sc.rendered[mime]; b != nil {
		return b
	}
	rep := reportJSON{GeneratedAt: sc.generated.UTC().Format("2006-01-02T15:04:05.000000Z"), Scanner: sc.scanner,
		Severity: sc.summarize(mime).severity, Vulnerabilities: []vulnJSON{}}
	for _, v := range sc.vulns {
		vj := vulnJSON{ID: v.ID, Package: v.Package, Version: v.Version, FixVersion: v.FixVersion,
			Severity: harborSeverity(v.Severity), Description: v.Description, Links: append([]string{}, v.Links...),
			ArtifactDigests: []string{digest}, CWEIDs: v.CWEIDs,
			VendorAttributes: map[string]any{"CVSS": map[string]any{}}}
		vj.PreferredCVSS.ScoreV3 = &v.CVSSv3
		if vj.CWEIDs == nil {
			vj.CWEIDs = []string{""}
		}
		if v.CVSSv3 > 0 {
			vj.VendorAttributes["CVSS"] = map[string]any{"nvd": map[string]any{"V3Score": v.CVSSv3}}
		}
		rep.Vulnerabilities = append(rep.Vulnerabilities, vj)
	}
	sc.rendered[mime], _ = json.Marshal(rep)
	return sc.rendered[mime]
}

// scanOverview is an artifact's scan_overview entry for mime. Callers hold s.mu.
func (s *Server) scanOverview(a *artifact, mime string) map[string]any {
	sc, status := a.scan, a.scan.status(s.now())
	out := map[string]any{"report_id": sc.reportIDs[mime], "scan_status": status,
		"start_time": zeroTime, "end_time": zeroTime}
	if status == "Pending" {
		return out
	}
	out["start_time"] = secondTime(sc.start)
	if status == "Running" {
		out["complete_percent"] = 50
		return out
	}
	maps.Copy(out, map[string]any{"complete_percent": 100, "end_time": secondTime(sc.done),
		"duration": int64(sc.done.Sub(sc.start) / time.Second), "scanner": sc.scanner})
	if status != "Success" {
		return out
	}
	sum := sc.summarize(mime)
	out["severity"] = sum.severity
	out["summary"] = map[string]any{"fixable": sum.fixable, "summary": sum.counts, "total": sum.total}
	return out
}

func noScanner(p *project) *apiError {
	return errNotFound(fmt.Sprintf("no scanner registration configured for project: %d", p.id))
}

type scanTypeReq = struct {
	ScanType string `json:"scan_type"`
}

func (s *Server) scanArtifact(r *request, body *scanTypeReq) (answer, *apiError) {
	body = cmp.Or(body, &scanTypeReq{}) // no body: a vulnerability scan
	if body.ScanType != "" && body.ScanType != "vulnerability" && body.ScanType != "sbom" {
		return answer{}, errModel("scan_type in body should be one of [vulnerability sbom]")
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
	now, ref, operator := s.now(), r.PathValue("reference"), r.id.name(s.state.robotPrefix)
	switch {
	case body.ScanType == "sbom":
		s.generateSBOM(repo, a)
		s.watchScan(p, repo, a, ref, operator, true)
	case len(a.references) > 0: // Harbor scans the children; a child's plan applies, else the index's
		plan := s.takePlan(a.id, plannedScan{delay: s.state.sec.scanDelay})
		for _, c := range indexChildren(repo, a) {
			cp := s.takePlan(c.id, plan)
			c.scan = s.newScanLocked(now, now.Add(cp.delay), cp.fail, cp.vulns)
			s.watchScan(p, repo, c, c.digest, operator, false)
		}
	default:
		if a.scan != nil && slices.Contains([]string{"Pending", "Running"}, a.scan.status(now)) {
			return answer{}, errConflict("a previous scan process is " + a.scan.status(now))
		}
		plan := s.takePlan(a.id, plannedScan{delay: s.state.sec.scanDelay})
		a.scan = s.newScanLocked(now, now.Add(plan.delay), plan.fail, plan.vulns)
		s.watchScan(p, repo, a, ref, operator, false)
	}
	return answer{status: http.StatusAccepted}, nil
}

// takePlan takes the planned outcome of artifact id's next scan, else or.
func (s *Server) takePlan(id int64, or plannedScan) plannedScan {
	plan, ok := s.state.sec.planned[id]
	if !ok {
		return or
	}
	delete(s.state.sec.planned, id)
	return plan
}

func (s *Server) stopScanArtifact(r *request, _ *scanTypeReq) (answer, *apiError) {
	_, _, a, e := s.artifactFromRequest(r, "scan", "stop")
	if e != nil {
		return answer{}, e
	}
	if a.scan != nil && slices.Contains([]string{"Pending", "Running"}, a.scan.status(s.now())) {
		a.scan.stopped = true
		s.fireDueScansLocked()
	}
	return answer{status: http.StatusAccepted}, nil
}

func (s *Server) getReportLog(r *request) (answer, *apiError) {
	id := r.PathValue("report_id")
	_, _, a, e := s.artifactFromRequest(r, "scan", "read")
	if e == nil && (a.scan == nil || !slices.Contains(slices.Collect(maps.Values(a.scan.reportIDs)), id)) {
		e = errBadRequest("bad request: invalid UUID " + id)
	}
	if e != nil {
		return answer{}, e
	}
	return reply(textBody(fmt.Sprintf("harbortest scan log: report %s, status %s\n", id, a.scan.status(s.now()))))
}

// getVulnerabilitiesAddition answers {mime: report} (%q quotes as JSON does) for a successful scan, else {}.
func (s *Server) getVulnerabilitiesAddition(r *request) (answer, *apiError) {
	mime := acceptedReport(r)
	p, repo, a, e := s.artifactFromRequest(r, "artifact-addition", "read")
	if e != nil {
		return answer{}, e
	}
	s.syncIndexScan(repo, a)
	if _, _, ok := s.scannerFor(p); !ok {
		return answer{}, noScanner(p)
	}
	if a.scan == nil || a.scan.status(s.now()) != "Success" || a.scan.raw != nil && a.scan.raw[mime] == nil {
		return reply(verbatim("{}\n"))
	}
	return reply(verbatim(fmt.Appendf(nil, "{%q:%s}\n", mime, a.scan.report(mime, a.digest))))
}
