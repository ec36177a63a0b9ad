package harbortest

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
)

type cveExport struct {
	cveExportJSON
	projectID int64
	size      int64 // SetCVEExportSize at the time of the export
}

// SetCVEExportSize makes the CSV of CVE exports started afterwards at least n bytes long, to test
// streaming of large downloads: rows "library/big,sha256:<64 hex>,CVE-2099-<n>,..." made while
// written (no n-byte buffer). 0, the default, exports the header only. It panics if n is negative.
func (s *Server) SetCVEExportSize(n int64) {
	refuseIf(n < 0, "SetCVEExportSize(%d): size is negative", n)
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

type exportCriteria = struct {
	Projects     []int64 `json:"projects"`
	Repositories string  `json:"repositories"`
	Tags         string  `json:"tags"`
	CVEIDs       string  `json:"cveIds"`
}

// exportScanData starts an export with Harbor's checks: X-Scan-Data-Type (422 without, v068;
// 400 another), one project (400, v069) that exists (404), no spaces in the filters (400),
// export-cve permission; robots, no users, get 403. It answers {"id": N}, N an execution id.
func (s *Server) exportScanData(r *request, req *exportCriteria) (answer, *apiError) {
	switch dataType := r.Header.Get("X-Scan-Data-Type"); {
	case dataType == "":
		return answer{}, errUnprocessable("X-Scan-Data-Type in header is required")
	case dataType != mimeGenericReport: // the only type Harbor exports
		return answer{}, errBadRequest("bad request: Unsupported MIME type : " + dataType)
	case len(req.Projects) != 1:
		return answer{}, errBadRequest(fmt.Sprintf("bad request: only support export single project, invalid value: %v", req.Projects))
	case s.state.projects[req.Projects[0]] == nil:
		return answer{}, errNotFound(fmt.Sprintf("resource not found: project %d not found", req.Projects[0]))
	}
	p := s.state.projects[req.Projects[0]]
	for _, v := range []string{req.Repositories, req.Tags, req.CVEIDs} {
		if strings.Contains(v, " ") {
			return answer{}, errBadRequest("bad request: invalid criteria value, please remove additional spaces for input: " + v)
		}
	}
	if e := s.requireProject(r.id, p, "export-cve", "create"); e != nil || r.id.user == nil {
		return answer{}, cmp.Or(e, errForbidden(fmt.Sprintf("User : %s not found", r.id.name(s.state.robotPrefix))))
	}
	m, now := s.state.extra(), s.now()
	ex := &cveExport{cveExportJSON{EndTime: secondTime(now), FilePresent: true, ID: newID(&m.nextExecID),
		StartTime: harborTime(now), Status: "Success", Trigger: "MANUAL", UserID: r.id.user.id,
		UserName: r.id.user.username}, p.id, m.exportSize}
	m.exports[ex.ID] = ex
	return reply(map[string]int64{"id": ex.ID})
}

func (s *Server) listScanExports(r *request) (answer, *apiError) {
	items := []cveExportJSON{}
	for _, ex := range s.state.extra().exports {
		if ex.UserName == r.id.name(s.state.robotPrefix) {
			items = append(items, ex.cveExportJSON)
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })
	return reply(map[string][]cveExportJSON{"items": items})
}

// scanExport resolves {execution_id} (404) for the caller's export-cve read permission on its
// project; another user's is 403 with an empty message, or for a download no body, as Harbor.
func (s *Server) scanExport(r *request, download bool) (*cveExport, *apiError) {
	n, e := pathID(r, "execution_id")
	ex := s.state.extra().exports[n]
	switch {
	case e != nil: // a malformed id, refused first
	case !r.id.authenticated():
		e = errUnauthorized()
	case ex == nil:
		e = errNotFound(fmt.Sprintf("execution %d not found", n))
	default:
		if p := s.state.projects[ex.projectID]; p != nil {
			e = s.requireProject(r.id, p, "export-cve", "read")
		}
	}
	if e == nil && ex.UserName != r.id.name(s.state.robotPrefix) {
		if download {
			return nil, &apiError{status: http.StatusForbidden} // no body
		}
		return nil, errForbidden("")
	}
	return ex, e
}

func (s *Server) getScanExport(r *request) (answer, *apiError) {
	ex, e := s.scanExport(r, false)
	return replyWith(ex, e, func(ex *cveExport) cveExportJSON { return ex.cveExportJSON })
}

// downloadScanData streams the CSV (chunked, as Harbor) and deletes the export: then 404 (v073).
func (s *Server) downloadScanData(r *request) (answer, *apiError) {
	ex, e := s.scanExport(r, true)
	if e != nil {
		return answer{}, e
	}
	delete(s.state.extra().exports, ex.ID)
	r.header.Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"scandata_export_%d.csv\"", ex.ID))
	r.header.Set("Content-Type", "text/csv")
	return reply(stream(func(w io.Writer) { // Harbor's header (v072), then made-up rows up to ex.size bytes
		bw := bufio.NewWriterSize(w, 32<<10)
		n, _ := bw.WriteString("Repository,Artifact Digest,CVE,Package,Current Version,Fixed in version,Severity,CWE Ids,Additional Data,Scanner\n")
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
	}))
}
