package harbortest

// A project's CVE allowlist lives in project.cveAllowlist and cveExpiresAt
// (set by updateProject), the system's in state.systemAllowlist.

type cveItemJSON struct {
	CveID string `json:"cve_id"`
}

// cveAllowlistJSON is Harbor's CVEAllowlist: id, project_id and expires_at
// are left out while unset.
type cveAllowlistJSON struct {
	CreationTime string        `json:"creation_time"`
	ExpiresAt    *int64        `json:"expires_at,omitempty"`
	ID           int64         `json:"id,omitempty"`
	Items        []cveItemJSON `json:"items"`
	ProjectID    int64         `json:"project_id,omitempty"`
	UpdateTime   string        `json:"update_time"`
}

// projectAllowlistJSON is the cve_allowlist of a project as GET /projects
// shows it: its times stay zero even after an update (b346).
func (s *Server) projectAllowlistJSON(p *project) cveAllowlistJSON {
	return cveAllowlistJSON{CreationTime: zeroTime, ExpiresAt: p.cveExpiresAt, ID: p.allowlistID,
		Items: append([]cveItemJSON{}, p.cveAllowlist...), ProjectID: p.id, UpdateTime: zeroTime}
}

// getSystemCVEAllowlist answers any authenticated caller (robots included).
func (s *Server) getSystemCVEAllowlist(r *request) (answer, *apiError) {
	if al := s.state.systemAllowlist; al != nil {
		return reply(*al)
	}
	return reply(cveAllowlistJSON{CreationTime: zeroTime, Items: []cveItemJSON{}, UpdateTime: zeroTime})
}

type allowlistReq = struct {
	Items     []cveItemJSON `json:"items"`
	ExpiresAt *int64        `json:"expires_at"`
}

func (s *Server) putSystemCVEAllowlist(r *request, req *allowlistReq) (answer, *apiError) {
	if e := s.requireSystem(r.id, "system-cve-allowlist", "update"); e != nil {
		return answer{}, e
	}
	seen := map[string]bool{} // duplicates are Harbor's 500; ids that are not CVE ids pass
	for _, it := range req.Items {
		if seen[it.CveID] {
			return answer{}, errInternal()
		}
		seen[it.CveID] = true
	}
	if s.state.systemAllowlist == nil {
		s.state.systemAllowlist = &cveAllowlistJSON{ID: newID(&s.state.nextAllowlist)}
	}
	al := s.state.systemAllowlist
	// Harbor rewrites the row: a new creation time with each PUT (b340, b343).
	now := harborTime(s.now())
	al.Items, al.ExpiresAt = append([]cveItemJSON{}, req.Items...), req.ExpiresAt
	al.CreationTime, al.UpdateTime = now, now
	return reply(nil)
}
