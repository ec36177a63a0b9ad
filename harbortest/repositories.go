package harbortest

import (
	"encoding/json"
	"fmt"
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

func toRepositoryJSON(p *project, repo *repository) repositoryJSON {
	return repositoryJSON{ArtifactCount: artifactCount(repo), CreationTime: harborTime(repo.created),
		Description: repo.description, ID: repo.id, Name: repo.name, ProjectID: p.id,
		PullCount: repo.pullCount, UpdateTime: harborTime(repo.updated)}
}

// artifactCount counts a repository's artifacts, accessories excluded, as
// Harbor does (p010: team/app has 2 with its two accessories).
func artifactCount(repo *repository) int {
	n := 0
	for _, a := range repo.artifacts {
		if a.subject == nil {
			n++
		}
	}
	return n
}

// sortRepositories orders repositories as Harbor does: newest first
// unless sort asks otherwise (name, creation_time, update_time).
func sortRepositories(repos []*repository, q *query) {
	sort.SliceStable(repos, func(i, j int) bool { return repos[i].id > repos[j].id })
	sortItems(repos, q, map[string]func(a, b *repository) int{
		"name":          byString(func(r *repository) string { return r.name }),
		"creation_time": byInt(func(r *repository) int64 { return r.id }),
		"update_time":   byTime(func(r *repository) time.Time { return r.updated }),
	})
}

func (s *Server) listRepositoriesRoute(r *request) (answer, *apiError) {
	return s.listRepositories(r, r.PathValue("project_name"))
}

// listRepositories lists the repositories of one project.
func (s *Server) listRepositories(r *request, nameOrID string) (answer, *apiError) {
	pp, q, le := parseList(r)
	if le != nil {
		return answer{}, le
	}
	p, e := s.findProject(r, nameOrID)
	if e == nil {
		e = s.requireProject(r.id, p, "repository", "list")
	}
	if e != nil {
		return answer{}, e
	}
	var repos []*repository
	for _, n := range p.repoNames {
		repo := p.repos[n]
		if !q.str("name", repo.name) {
			continue
		}
		repos = append(repos, repo)
	}
	sortRepositories(repos, q)
	start, end := pp.bounds(len(repos))
	out := make([]repositoryJSON, 0, end-start)
	for _, repo := range repos[start:end] {
		out = append(out, toRepositoryJSON(p, repo))
	}
	setPagination(r.header, r, len(repos), pp)
	return reply(out)
}

// listAllRepositories lists the repositories of every project the caller
// may see (public projects for anonymous callers).
func (s *Server) listAllRepositories(r *request) (answer, *apiError) {
	pp, q, le := parseList(r)
	if le != nil {
		return answer{}, le
	}
	var repos []*repository
	owner := map[*repository]*project{}
	for _, name := range s.state.sortedProjectNames() {
		p := s.state.projectByName[name]
		if !s.canProject(r.id, p, "repository", "list") {
			continue
		}
		for _, n := range p.repoNames {
			repo := p.repos[n]
			if !q.str("name", repo.name) {
				continue
			}
			repos = append(repos, repo)
			owner[repo] = p
		}
	}
	sortRepositories(repos, q)
	start, end := pp.bounds(len(repos))
	out := make([]repositoryJSON, 0, end-start)
	for _, repo := range repos[start:end] {
		out = append(out, toRepositoryJSON(owner[repo], repo))
	}
	setPagination(r.header, r, len(repos), pp)
	return reply(out)
}

// repoFromRequest resolves {project_name} and {repository_name} and checks
// resource:action on the project. Callers hold s.mu.
func (s *Server) repoFromRequest(r *request, resource, action string) (*project, *repository, string, *apiError) {
	name := repoNameParam(r.PathValue("repository_name"))
	p, e := s.findProject(r, r.PathValue("project_name"))
	if e == nil {
		e = s.requireProject(r.id, p, resource, action)
	}
	if e != nil {
		return nil, nil, name, e
	}
	return p, p.repos[name], name, nil
}

func (s *Server) getRepository(r *request) (answer, *apiError) {
	p, repo, name, e := s.repoFromRequest(r, "repository", "read")
	if e == nil && repo == nil {
		e = errNotFound(fmt.Sprintf("repository %s/%s not found", p.name, name))
	}
	if e != nil {
		return answer{}, e
	}
	return reply(toRepositoryJSON(p, repo))
}

func (s *Server) updateRepository(r *request) (answer, *apiError) {
	var body struct {
		Description string `json:"description"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return answer{}, errBadRequest("invalid repository: " + err.Error())
	}
	p, repo, name, e := s.repoFromRequest(r, "repository", "update")
	if e == nil && repo == nil {
		e = errNotFound(fmt.Sprintf("repository %s/%s not found", p.name, name))
	}
	if e != nil {
		return answer{}, e
	}
	repo.description = body.Description
	repo.updated = s.now()
	return reply(nil)
}

func (s *Server) deleteRepository(r *request) (answer, *apiError) {
	p, repo, name, e := s.repoFromRequest(r, "repository", "delete")
	if e == nil && repo == nil {
		e = errNotFound(fmt.Sprintf("repository %s/%s not found", p.name, name))
	}
	if e != nil {
		return answer{}, e
	}
	for _, a := range repo.artifacts {
		if !referencedByIndex(repo, a) { // Harbor announces the roots, not an index's children
			r.fire(s.deleteEvent(r, p, repo, a))
		}
	}
	delete(p.repos, name)
	if i := sort.SearchStrings(p.repoNames, name); i < len(p.repoNames) && p.repoNames[i] == name {
		p.repoNames = append(p.repoNames[:i], p.repoNames[i+1:]...)
	}
	return reply(nil)
}
