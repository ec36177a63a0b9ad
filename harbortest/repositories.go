package harbortest

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

type repositoryJSON struct {
	ArtifactCount int    `json:"artifact_count"`
	CreationTime  string `json:"creation_time"`
	Description   string `json:"description,omitempty"`
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	ProjectID     int64  `json:"project_id"`
	PullCount     int64  `json:"pull_count"`
	UpdateTime    string `json:"update_time"`
}

// toRepositoryJSON counts artifacts but accessories, as Harbor does (p010: 2 with two accessories).
func toRepositoryJSON(repo *repository) repositoryJSON {
	n := 0
	for _, a := range repo.artifacts {
		if a.subject == nil {
			n++
		}
	}
	return repositoryJSON{ArtifactCount: n, CreationTime: harborTime(repo.created), Description: repo.description,
		ID: repo.id, Name: repo.name, ProjectID: repo.projectID, PullCount: repo.pullCount, UpdateTime: harborTime(repo.updated)}
}

func (s *Server) listRepositories(r *request, pp pageParams, q *query) (answer, *apiError) {
	p, _, _, e := s.repoFromRequest(r, "repository", "list")
	if e != nil {
		return answer{}, e
	}
	return repositoryPage(r, []*project{p}, q, pp)
}

// listAllRepositories lists the repositories of the projects the caller may see (public ones anonymously).
func (s *Server) listAllRepositories(r *request, pp pageParams, q *query) (answer, *apiError) {
	var ps []*project
	for _, name := range s.state.sortedProjectNames() {
		if p := s.state.projectByName[name]; s.canProject(r.id, p, "repository", "list") {
			ps = append(ps, p)
		}
	}
	return repositoryPage(r, ps, q, pp)
}

// repositoryPage answers a page of the repositories of ps that q selects, newest first unless q sorts.
func repositoryPage(r *request, ps []*project, q *query, pp pageParams) (answer, *apiError) {
	var repos []*repository
	for _, p := range ps {
		for _, n := range p.repoNames {
			if repo := p.repos[n]; q.str("name", repo.name) {
				repos = append(repos, repo)
			}
		}
	}
	sort.SliceStable(repos, func(i, j int) bool { return repos[i].id > repos[j].id })
	sortItems(repos, q, map[string]func(a, b *repository) int{
		"name":          byString(func(r *repository) string { return r.name }),
		"creation_time": byInt(func(r *repository) int64 { return r.id }),
		"update_time":   byTime(func(r *repository) time.Time { return r.updated }),
	})
	return pageOf(r, repos, pp, toRepositoryJSON)
}

// repoFromRequest resolves {project_name} and {repository_name} (if any) for resource:action on the
// project; a missing repository is nil. Callers hold s.mu.
func (s *Server) repoFromRequest(r *request, resource, action string) (*project, *repository, string, *apiError) {
	// The mux unescapes once, Harbor once more (unescapePathParams): "team%252Fapp" or "team%2Fapp".
	name := pathParam(r, "repository_name")
	p, e := s.findProject(r, r.PathValue("project_name"))
	if e == nil {
		e = s.requireProject(r.id, p, resource, action)
	}
	if e != nil {
		return nil, nil, name, e
	}
	return p, p.repos[name], name, nil
}

// repositoryAt is the path's repository for repository:action, 404 if missing (for at and atArg).
func (s *Server) repositoryAt(r *request, action string) (*repository, *apiError) {
	p, repo, name, e := s.repoFromRequest(r, "repository", action)
	if e == nil && repo == nil {
		e = errNotFound(fmt.Sprintf("repository %s/%s not found", p.name, name))
	}
	return repo, e
}

func (s *Server) getRepository(r *request, repo *repository) (answer, *apiError) {
	return reply(toRepositoryJSON(repo))
}

type repositoryReq = struct {
	Description string `json:"description"`
}

func (s *Server) updateRepository(r *request, repo *repository, body *repositoryReq) (answer, *apiError) {
	repo.description, repo.updated = body.Description, s.now()
	return reply(nil)
}

func (s *Server) deleteRepository(r *request, repo *repository) (answer, *apiError) {
	p, name := s.state.projects[repo.projectID], shortRepoName(repo)
	for _, a := range repo.artifacts {
		if !referencedByIndex(repo, a) { // Harbor announces the roots, not an index's children
			r.fire(s.deleteEvent(r, p, repo, a))
		}
	}
	delete(p.repos, name)
	p.repoNames = slices.DeleteFunc(p.repoNames, func(n string) bool { return n == name })
	return reply(nil)
}
