package harbortest

import "net/http"

type cveItemJSON struct {
	CveID string `json:"cve_id"`
}

// cveAllowlistJSON is Harbor's CVEAllowlist; id, project_id and expires_at are left out while unset.
type cveAllowlistJSON struct {
	CreationTime string        `json:"creation_time"`
	ExpiresAt    *int64        `json:"expires_at,omitempty"`
	ID           int64         `json:"id,omitempty"`
	Items        []cveItemJSON `json:"items"`
	ProjectID    int64         `json:"project_id,omitempty"`
	UpdateTime   string        `json:"update_time"`
}

// projectAllowlistJSON is a project's cve_allowlist in GET /projects: times stay zero after updates (b346).
func (s *Server) projectAllowlistJSON(p *project) cveAllowlistJSON {
	return cveAllowlistJSON{CreationTime: zeroTime, ExpiresAt: p.cveExpiresAt, ID: p.allowlistID,
		Items: append([]cveItemJSON{}, p.cveAllowlist...), ProjectID: p.id, UpdateTime: zeroTime}
}

// getSystemAllowlist answers any authenticated caller (robots included).
func (s *Server) getSystemAllowlist(r *request) (answer, *apiError) {
	if al := s.state.systemAllowlist; al != nil {
		return reply(*al)
	}
	return reply(cveAllowlistJSON{CreationTime: zeroTime, Items: []cveItemJSON{}, UpdateTime: zeroTime})
}

type allowlistReq = struct {
	Items     []cveItemJSON `json:"items"`
	ExpiresAt *int64        `json:"expires_at"`
}

func (s *Server) putSystemAllowlist(r *request, req *allowlistReq) (answer, *apiError) {
	if req == nil {
		return answer{status: http.StatusInternalServerError}, nil // Harbor reads the missing body (set4/u027)
	}
	seen := map[string]bool{} // duplicates are Harbor's 500; ids that are not CVE ids pass
	for _, it := range req.Items {
		if seen[it.CveID] {
			return answer{}, errInternal()
		}
		seen[it.CveID] = true
	}
	al := lazy(&s.state.systemAllowlist, func() *cveAllowlistJSON {
		return &cveAllowlistJSON{ID: newID(&s.state.nextAllowlist)}
	})
	// Harbor rewrites the row: a new creation time with each PUT (b340, b343).
	now := harborTime(s.now())
	al.Items, al.ExpiresAt = append([]cveItemJSON{}, req.Items...), req.ExpiresAt
	al.CreationTime, al.UpdateTime = now, now
	return reply(nil)
}
