package harbortest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
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

type auditLogJSON struct {
	ID           int64  `json:"id"`
	OpTime       string `json:"op_time"`
	Operation    string `json:"operation"`
	Resource     string `json:"resource"`
	ResourceType string `json:"resource_type"`
	Username     string `json:"username"`
}

// repositoryRoutes serves repositories (Harbor's repository API).
func (s *Server) repositoryRoutes() []route {
	const repo = "/projects/{project_name}/repositories/{repository_name}"
	return []route{
		{"listAllRepositories", http.MethodGet, "/repositories", s.listAllRepositories},
		{"listRepositories", http.MethodGet, "/projects/{project_name}/repositories", s.listRepositoriesRoute},
		{"getRepository", http.MethodGet, repo, s.getRepository},
		{"updateRepository", http.MethodPut, repo, s.updateRepository},
		{"deleteRepository", http.MethodDelete, repo, s.deleteRepository},
	}
}

func toRepositoryJSON(p *project, repo *repository) repositoryJSON {
	return repositoryJSON{ArtifactCount: len(repo.artifacts), CreationTime: harborTime(repo.created),
		Description: repo.description, ID: repo.id, Name: repo.name, ProjectID: p.id,
		PullCount: repo.pullCount, UpdateTime: harborTime(repo.updated)}
}

// listQuery is a parsed q parameter of the lists served here: "k=v" exact,
// "k=~v" fuzzy, "k={a b}" any of.
type listQuery map[string]string

// parseListQuery parses q as Harbor does for these lists; a part without
// "=" or with an empty key or value is Harbor's 400.
func parseListQuery(q string) (listQuery, *apiError) {
	out := listQuery{}
	if q == "" {
		return out, nil
	}
	for _, part := range strings.Split(q, ",") {
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, errBadRequest(`the query string must contain "=" and the key/value cannot be empty`)
		}
		out[k] = v
	}
	return out, nil
}

// matchString matches a value against an exact ("v"), fuzzy ("~v") or
// union ("{a b}") expression.
func matchString(expr, value string) bool {
	switch {
	case strings.HasPrefix(expr, "~"):
		return strings.Contains(value, expr[1:])
	case strings.HasPrefix(expr, "{") && strings.HasSuffix(expr, "}"):
		for _, v := range strings.Fields(expr[1 : len(expr)-1]) {
			if v == value {
				return true
			}
		}
		return false
	}
	return expr == value
}

// sortRepositories orders repositories as Harbor does: newest first unless
// sort=name (or -name, creation_time...) asks otherwise.
func sortRepositories(repos []*repository, sortBy string) {
	less := func(i, j int) bool { return repos[i].id > repos[j].id }
	switch sortBy {
	case "name":
		less = func(i, j int) bool { return repos[i].name < repos[j].name }
	case "-name":
		less = func(i, j int) bool { return repos[i].name > repos[j].name }
	case "creation_time", "id":
		less = func(i, j int) bool { return repos[i].id < repos[j].id }
	}
	sort.SliceStable(repos, less)
}

func (s *Server) listRepositoriesRoute(w http.ResponseWriter, r *http.Request) {
	s.listRepositories(w, r, r.PathValue("project_name"))
}

// listRepositories lists the repositories of one project.
func (s *Server) listRepositories(w http.ResponseWriter, r *http.Request, nameOrID string) {
	pp, perr := parsePage(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	q, qerr := parseListQuery(r.URL.Query().Get("q"))
	if qerr != nil {
		writeError(w, qerr)
		return
	}
	s.mu.Lock()
	id := s.authenticate(r)
	p, e := s.findProject(r, nameOrID)
	if e == nil {
		e = s.requireProject(id, p, "repository", "list")
	}
	if e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	var repos []*repository
	for _, n := range p.repoNames {
		repo := p.repos[n]
		if expr, ok := q["name"]; ok && !matchString(expr, repo.name) {
			continue
		}
		repos = append(repos, repo)
	}
	sortRepositories(repos, r.URL.Query().Get("sort"))
	start, end := pp.bounds(len(repos))
	out := make([]repositoryJSON, 0, end-start)
	for _, repo := range repos[start:end] {
		out = append(out, toRepositoryJSON(p, repo))
	}
	s.mu.Unlock()
	setPagination(w, r, len(repos), pp)
	writeJSON(w, http.StatusOK, out)
}

// listAllRepositories lists the repositories of every project the caller
// may see (public projects for anonymous callers).
func (s *Server) listAllRepositories(w http.ResponseWriter, r *http.Request) {
	pp, perr := parsePage(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	q, qerr := parseListQuery(r.URL.Query().Get("q"))
	if qerr != nil {
		writeError(w, qerr)
		return
	}
	s.mu.Lock()
	id := s.authenticate(r)
	var repos []*repository
	owner := map[*repository]*project{}
	for _, name := range s.state.sortedProjectNames() {
		p := s.state.projectByName[name]
		if !s.canProject(id, p, "repository", "list") {
			continue
		}
		for _, n := range p.repoNames {
			repo := p.repos[n]
			if expr, ok := q["name"]; ok && !matchString(expr, repo.name) {
				continue
			}
			repos = append(repos, repo)
			owner[repo] = p
		}
	}
	sortRepositories(repos, r.URL.Query().Get("sort"))
	start, end := pp.bounds(len(repos))
	out := make([]repositoryJSON, 0, end-start)
	for _, repo := range repos[start:end] {
		out = append(out, toRepositoryJSON(owner[repo], repo))
	}
	s.mu.Unlock()
	setPagination(w, r, len(repos), pp)
	writeJSON(w, http.StatusOK, out)
}

// repoFromRequest resolves {project_name} and {repository_name} and checks
// resource:action on the project. Callers hold s.mu.
func (s *Server) repoFromRequest(r *http.Request, resource, action string) (*project, *repository, string, *apiError) {
	id := s.authenticate(r)
	name := repoNameParam(r.PathValue("repository_name"))
	p, e := s.findProject(r, r.PathValue("project_name"))
	if e == nil {
		e = s.requireProject(id, p, resource, action)
	}
	if e != nil {
		return nil, nil, name, e
	}
	return p, p.repos[name], name, nil
}

func (s *Server) getRepository(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, repo, name, e := s.repoFromRequest(r, "repository", "read")
	if e == nil && repo == nil {
		e = errNotFound(fmt.Sprintf("repository %s/%s not found", p.name, name))
	}
	if e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	out := toRepositoryJSON(p, repo)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) updateRepository(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Description string `json:"description"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, errBadRequest("invalid repository: "+err.Error()))
		return
	}
	s.mu.Lock()
	p, repo, name, e := s.repoFromRequest(r, "repository", "update")
	if e == nil && repo == nil {
		e = errNotFound(fmt.Sprintf("repository %s/%s not found", p.name, name))
	}
	if e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	repo.description = body.Description
	repo.updated = s.now()
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func (s *Server) deleteRepository(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, repo, name, e := s.repoFromRequest(r, "repository", "delete")
	if e == nil && repo == nil {
		e = errNotFound(fmt.Sprintf("repository %s/%s not found", p.name, name))
	}
	if e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	delete(p.repos, name)
	if i := sort.SearchStrings(p.repoNames, name); i < len(p.repoNames) && p.repoNames[i] == name {
		p.repoNames = append(p.repoNames[:i], p.repoNames[i+1:]...)
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// listAuditLogs lists seeded audit logs, newest first. Harbor v2.15 writes
// its own events to the audit-log-exts table, so this list starts empty.
func (s *Server) listAuditLogs(w http.ResponseWriter, r *http.Request) {
	pp, perr := parsePage(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	s.mu.Lock()
	id := s.authenticate(r)
	if !id.authenticated() {
		s.mu.Unlock()
		writeError(w, errUnauthorized())
		return
	}
	var logs []*auditLog
	if s.canSystem(id, "audit-log", "list") {
		logs = append(logs, s.state.auditLogs...)
	}
	sort.SliceStable(logs, func(i, j int) bool { return logs[i].id > logs[j].id })
	start, end := pp.bounds(len(logs))
	out := make([]auditLogJSON, 0, end-start)
	for _, l := range logs[start:end] {
		out = append(out, auditLogJSON{ID: l.id, OpTime: harborTime(l.opTime), Operation: l.operation,
			Resource: l.resource, ResourceType: l.resourceType, Username: l.username})
	}
	s.mu.Unlock()
	setPagination(w, r, len(logs), pp)
	writeJSON(w, http.StatusOK, out)
}
