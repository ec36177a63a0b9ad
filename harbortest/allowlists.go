package harbortest

import (
	"time"
)

type cveAllowlist struct {
	id        int64
	items     []string
	expiresAt *int64
	created   time.Time
	updated   time.Time
}

// allowlistState holds the system CVE allowlist; a project's lives in
// project.cveAllowlist and project.cveExpiresAt (set by updateProject).
type allowlistState struct {
	system *cveAllowlist
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

// checkAllowlistItems refuses duplicate ids with Harbor's 500; ids that are
// not CVE ids are accepted, as Harbor does.
func checkAllowlistItems(items []cveItemJSON) ([]string, *apiError) {
	seen := map[string]bool{}
	out := make([]string, 0, len(items))
	for _, it := range items {
		if seen[it.CveID] {
			return nil, errInternal()
		}
		seen[it.CveID] = true
		out = append(out, it.CveID)
	}
	return out, nil
}

// getSystemCVEAllowlist answers any authenticated caller (robots included).
func (s *Server) getSystemCVEAllowlist(r *request) (answer, *apiError) {
	if !r.id.authenticated() {
		return answer{}, errUnauthorized()
	}
	out := cveAllowlistJSON{CreationTime: zeroTime, Items: []cveItemJSON{}, UpdateTime: zeroTime}
	if al := s.state.allowlistState().system; al != nil {
		out = cveAllowlistJSON{CreationTime: harborTime(al.created), ExpiresAt: al.expiresAt, ID: al.id,
			Items: itemsJSON(al.items), UpdateTime: harborTime(al.updated)}
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
	ids, e := checkAllowlistItems(req.Items)
	if e != nil {
		return answer{}, e
	}
	as := s.state.allowlistState()
	now := s.now()
	if as.system == nil {
		as.system = &cveAllowlist{id: s.state.nextAllowlist}
		s.state.nextAllowlist++
	}
	// Harbor rewrites the row: a new creation time with each PUT (b340, b343).
	as.system.items, as.system.expiresAt, as.system.created, as.system.updated = ids, req.ExpiresAt, now, now
	return reply(nil)
}
