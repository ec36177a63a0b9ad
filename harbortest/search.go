package harbortest

import (
	"slices"
	"strings"
)

// searchProjectJSON is a project as /search shows it: no owner name, an
// allowlist without ids and with items null, roles null when none (p143, p146).
type searchProjectJSON struct {
	CreationTime       string            `json:"creation_time"`
	CurrentUserRoleID  int               `json:"current_user_role_id,omitempty"`
	CurrentUserRoleIDs []int             `json:"current_user_role_ids"`
	CveAllowlist       map[string]any    `json:"cve_allowlist"`
	Metadata           map[string]string `json:"metadata"`
	Name               string            `json:"name"`
	OwnerID            int64             `json:"owner_id"`
	ProjectID          int64             `json:"project_id"`
	RepoCount          int               `json:"repo_count"`
	UpdateTime         string            `json:"update_time"`
}

type searchRepositoryJSON struct {
	ArtifactCount  int    `json:"artifact_count,omitempty"`
	ProjectID      int64  `json:"project_id"`
	ProjectName    string `json:"project_name"`
	ProjectPublic  bool   `json:"project_public,omitempty"`
	RepositoryName string `json:"repository_name"`
}

// search finds projects and repositories whose name contains q in the projects the caller sees:
// all for a system administrator, else public ones and a user's own (robots: p147, anonymous: p146).
func (s *Server) search(r *request) (answer, *apiError) {
	term := r.URL.Query().Get("q")
	if term == "" {
		return answer{}, errUnprocessable("q in query is required")
	}
	out := struct {
		Project    []searchProjectJSON    `json:"project"`
		Repository []searchRepositoryJSON `json:"repository"`
	}{Project: []searchProjectJSON{}, Repository: []searchRepositoryJSON{}}
	for _, name := range s.state.sortedProjectNames() {
		p := s.state.projectByName[name]
		if !s.visible(identity{user: r.id.user}, p, r.id.sysAdmin()) { // robots: public ones only
			continue
		}
		if strings.Contains(p.name, term) {
			pj := s.toProjectJSON(r.id, p)
			out.Project = append(out.Project, searchProjectJSON{CreationTime: pj.CreationTime,
				CurrentUserRoleID: pj.CurrentUserRoleID, CurrentUserRoleIDs: pj.CurrentUserRoleIDs,
				CveAllowlist: map[string]any{"creation_time": zeroTime, "items": nil, "update_time": zeroTime},
				Metadata:     pj.Metadata, Name: p.name, OwnerID: p.ownerID, ProjectID: p.id,
				RepoCount: len(p.repos), UpdateTime: pj.UpdateTime})
		}
		for _, rn := range p.repoNames {
			repo := p.repos[rn]
			if strings.Contains(repo.name, term) {
				out.Repository = append(out.Repository, searchRepositoryJSON{ArtifactCount: len(repo.artifacts),
					ProjectID: p.id, ProjectName: p.name, ProjectPublic: p.public, RepositoryName: repo.name})
			}
		}
	}
	slices.SortFunc(out.Repository, byString(func(x searchRepositoryJSON) string { return x.RepositoryName }))
	return reply(out)
}
