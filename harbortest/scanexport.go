package harbortest

import (
	"bufio"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"
)

// scanExportRoutes serves the CVE export: starting one (it finishes at
// once), its executions and downloading its CSV, which, as in Harbor, can be
// downloaded once.
func (s *Server) scanExportRoutes() []route {
	return []route{
		{"exportScanData", "POST", "/export/cve", s.exportScanData},
		{"getScanDataExportExecutionList", "GET", "/export/cve/executions", s.listScanExports},
		{"getScanDataExportExecution", "GET", "/export/cve/execution/{execution_id}", s.getScanExport},
		{"downloadScanData", "GET", "/export/cve/download/{execution_id}", s.downloadScanData},
	}
}

// cveExportHeader is the first line of Harbor's CVE export (v072).
const cveExportHeader = "Repository,Artifact Digest,CVE,Package,Current Version,Fixed in version,Severity,CWE Ids,Additional Data,Scanner\n"

type cveExport struct {
	id       int64
	userID   int64
	userName string
	start    time.Time
	size     int64 // SetCVEExportSize at the time of the export
}

// SetCVEExportSize makes the CSV of CVE exports started afterwards at least
// n bytes long: the header and whole rows of made-up vulnerabilities,
// generated while they are written (no n-byte buffer), so that a client's
// streaming of large downloads can be tested. The rows are
// "library/big,sha256:<64 hex>,CVE-2099-<n>,..." with one number per row.
// 0, the default, exports the header only (harbortest holds no scan
// results). It panics if n is negative.
func (s *Server) SetCVEExportSize(n int64) {
	if n < 0 {
		panic(fmt.Sprintf("harbortest: SetCVEExportSize(%d): size is negative", n))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.extra().exportSize = n
}

type cveExportJSON struct {
	EndTime     string `json:"end_time"`
	FilePresent bool   `json:"file_present"`
	ID          int64  `json:"id"`
	StartTime   string `json:"start_time"`
	Status      string `json:"status"`
	StatusText  string `json:"status_text"`
	Trigger     string `json:"trigger"`
	UserID      int64  `json:"user_id"`
	UserName    string `json:"user_name"`
}

func toCVEExportJSON(e *cveExport) cveExportJSON {
	return cveExportJSON{EndTime: secondTime(e.start), FilePresent: true, ID: e.id, StartTime: harborTime(e.start),
		Status: "Success", Trigger: "MANUAL", UserID: e.userID, UserName: e.userName}
}

// exportScanData starts an export of one project: X-Scan-Data-Type is
// required (422, v068), exactly one project (400, v069). It answers 200
// {"id":N}, N an execution id.
func (s *Server) exportScanData(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.authenticate(r)
	if !id.authenticated() {
		writeError(w, errUnauthorized())
		return
	}
	if r.Header.Get("X-Scan-Data-Type") == "" {
		writeError(w, errUnprocessable("X-Scan-Data-Type in header is required"))
		return
	}
	var req struct {
		Projects []int64 `json:"projects"`
	}
	if e := decodeBody(r, &req, "criteria"); e != nil {
		writeError(w, e)
		return
	}
	if len(req.Projects) != 1 {
		writeError(w, errBadRequest(fmt.Sprintf("bad request: only support export single project, invalid value: %v", req.Projects)))
		return
	}
	p := s.state.projects[req.Projects[0]]
	if p == nil {
		writeError(w, errNotFound(fmt.Sprintf("project %d not found", req.Projects[0])))
		return
	}
	if e := s.requireProject(id, p, "export-cve", "create"); e != nil {
		writeError(w, e)
		return
	}
	m := s.state.extra()
	ex := &cveExport{id: m.newExecID(), userName: id.name(s.state.robotPrefix), start: s.now(), size: m.exportSize}
	if id.user != nil {
		ex.userID = id.user.id
	}
	m.exports[ex.id] = ex
	writeJSON(w, http.StatusOK, map[string]int64{"id": ex.id})
}

// listScanExports lists the caller's exports.
func (s *Server) listScanExports(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	id := s.authenticate(r)
	if !id.authenticated() {
		s.mu.Unlock()
		writeError(w, errUnauthorized())
		return
	}
	name := id.name(s.state.robotPrefix)
	var exs []*cveExport
	for _, ex := range s.state.extra().exports {
		if ex.userName == name {
			exs = append(exs, ex)
		}
	}
	sort.Slice(exs, func(i, j int) bool { return exs[i].id < exs[j].id })
	items := make([]cveExportJSON, 0, len(exs))
	for _, ex := range exs {
		items = append(items, toCVEExportJSON(ex))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string][]cveExportJSON{"items": items})
}

// lockedScanExport resolves {execution_id}: 404 if there is no such export,
// 403 if another user started it.
func (s *Server) lockedScanExport(w http.ResponseWriter, r *http.Request) (*cveExport, bool) {
	raw := pathParam(r, "execution_id")
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		writeError(w, errUnprocessable(fmt.Sprintf("execution_id in path must be of type int64: %q", raw)))
		return nil, false
	}
	s.mu.Lock()
	id := s.authenticate(r)
	var e *apiError
	ex := s.state.extra().exports[n]
	switch {
	case !id.authenticated():
		e = errUnauthorized()
	case ex == nil:
		e = errNotFound(fmt.Sprintf("execution %d not found", n))
	case ex.userName != id.name(s.state.robotPrefix):
		e = errForbidden("forbidden")
	}
	if e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return nil, false
	}
	return ex, true
}

func (s *Server) getScanExport(w http.ResponseWriter, r *http.Request) {
	ex, ok := s.lockedScanExport(w, r)
	if !ok {
		return
	}
	out := toCVEExportJSON(ex)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// downloadScanData streams the CSV (chunked, as Harbor does) and deletes the
// export: a second download is 404 (v073).
func (s *Server) downloadScanData(w http.ResponseWriter, r *http.Request) {
	ex, ok := s.lockedScanExport(w, r)
	if !ok {
		return
	}
	delete(s.state.extra().exports, ex.id)
	s.mu.Unlock()
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"scandata_export_%d.csv\"", ex.id))
	w.Header().Set("Content-Type", "text/csv")
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 32<<10)
	n, _ := bw.WriteString(cveExportHeader)
	written := int64(n)
	for i := int64(1); written < ex.size; i++ {
		n, err := fmt.Fprintf(bw, "library/big,sha256:%064x,CVE-2099-%07d,pkg%07d,1.0.%d,1.0.%d,High,CWE-787,\"{\"\"CVSS\"\": {}}\",harbortest\n",
			i, i, i, i, i+1)
		if err != nil {
			return // the client went away
		}
		written += int64(n)
	}
	_ = bw.Flush()
}
