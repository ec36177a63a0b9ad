package harbortest

// allowlistState holds the system CVE allowlist as GET shows it; a
// project's lives in project.cveAllowlist and project.cveExpiresAt (set by
// updateProject).
type allowlistState struct {
	system *cveAllowlistJSON
}

func (st *state) allowlistState() *allowlistState {
	return lazy(&st.allowlists, func() *allowlistState { return &allowlistState{} })
}

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

func itemsJSON(ids []string) []cveItemJSON {
	out := make([]cveItemJSON, 0, len(ids))
	for _, id := range ids {
		out = append(out, cveItemJSON{id})
	}
	return out
}

// projectAllowlistJSON is the cve_allowlist of a project as GET /projects
// shows it: its times stay zero even after an update (b346).
func (s *Server) projectAllowlistJSON(p *project) cveAllowlistJSON {
	return cveAllowlistJSON{CreationTime: zeroTime, ExpiresAt: p.cveExpiresAt, ID: p.allowlistID,
		Items: itemsJSON(p.cveAllowlist), ProjectID: p.id, UpdateTime: zeroTime}
}

// getSystemCVEAllowlist answers any authenticated caller (robots included).
func (s *Server) getSystemCVEAllowlist(r *request) (answer, *apiError) {
	if !r.id.authenticated() {
		return answer{}, errUnauthorized()
	}
	out := cveAllowlistJSON{CreationTime: zeroTime, Items: []cveItemJSON{}, UpdateTime: zeroTime}
	if al := s.state.allowlistState().system; al != nil {
		out = *al
	}
	return reply(out)
}

func (s *Server) putSystemCVEAllowlist(r *request) (answer, *apiError) {
	var req struct {
		Items     []cveItemJSON `json:"items"`
		ExpiresAt *int64        `json:"expires_at"`
	}
	if e := decodeBody(r, &req, "allowlist"); e != nil {
		return answer{}, e
	}
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
	as := s.state.allowlistState()
	if as.system == nil {
		as.system = &cveAllowlistJSON{ID: s.state.nextAllowlist}
		s.state.nextAllowlist++
	}
	// Harbor rewrites the row: a new creation time with each PUT (b340, b343).
	now := harborTime(s.now())
	as.system.Items, as.system.ExpiresAt = append([]cveItemJSON{}, req.Items...), req.ExpiresAt
	as.system.CreationTime, as.system.UpdateTime = now, now
	return reply(nil)
}
