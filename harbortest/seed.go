package harbortest

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"time"
)

// Project is a snapshot of a project, as returned by Server.Projects.
type Project struct {
	ID           int64
	Name         string
	Public       bool
	OwnerID      int64
	RepoCount    int
	CreationTime time.Time
}

// Robot is a snapshot of a robot account, as Server.Robots returns it; no secret (Server.RobotSecret).
type Robot struct {
	ID           int64
	Name         string // full name, e.g. "robot$ci" or "robot$myproj+ci"
	Level        string // "system" or "project"
	ProjectID    int64  // 0 for system robots
	Description  string
	Disabled     bool
	Duration     int64 // days, -1 for never
	ExpiresAt    int64 // unix seconds, -1 for never
	CreatorRef   int64
	CreatorType  string
	Permissions  []RobotPermission
	CreationTime time.Time
}

// RobotPermission is one scope of a robot's permissions in Harbor's JSON model: robot
// bodies decode into it (a wrongly typed field's 422 names it) and read back as it.
type RobotPermission struct {
	Access    []Access `json:"access"`
	Kind      string   `json:"kind"`      // "system" or "project"
	Namespace string   `json:"namespace"` // "/" for system, a project name or "*" for project
}

// Access is one resource/action pair of Harbor's Access model, e.g. {Resource: "project",
// Action: "create"}. Effect ("allow", "deny", mostly empty) is read back as written, never checked.
type Access struct {
	Action   string `json:"action"`
	Effect   string `json:"effect,omitempty"`
	Resource string `json:"resource"`
}

// AddProject creates a project owned by admin and returns its id; it panics for an invalid or taken name.
func (s *Server) AddProject(name string, public bool) int64 {
	refuseIf(len(name) > 255 || !projectNameRe.MatchString(name), "AddProject: name %q is not a valid project name", name)
	s.mu.Lock()
	defer s.mu.Unlock()
	refuseIf(s.state.projectByName[name] != nil, "project %q already exists", name)
	return s.state.addProject(name, public, 1, -1, s.now()).id
}

// AddProjects creates n private projects "project-00001", ... (skipping taken
// names; tens of thousands are fast) and returns their ids; n < 0 panics.
func (s *Server) AddProjects(n int) []int64 {
	refuseIf(n < 0, "AddProjects: n must not be negative, got %d", n)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	ids := make([]int64, 0, n)
	for i := 1; len(ids) < n; i++ {
		if name := fmt.Sprintf("project-%05d", i); s.state.projectByName[name] == nil {
			ids = append(ids, s.state.addProject(name, false, 1, -1, now).id)
		}
	}
	return ids
}

// AddUser creates a local user (a system administrator if admin) and returns
// its id. It panics for a name Harbor refuses or that is taken, or no password.
func (s *Server) AddUser(username, password string, admin bool) int64 {
	refuseIf(!usernameRe.MatchString(username), "AddUser: username %q is empty or has illegal characters", username)
	refuseIf(password == "", "AddUser: password is empty")
	s.mu.Lock()
	defer s.mu.Unlock()
	refuseIf(s.state.usersByName[username] != nil, "user %q already exists", username)
	u := s.state.addUser(username, password, admin, s.now())
	u.email = username + "@example.com"
	return u.id
}

// AddProjectMember gives a user a Role* role in a project. It panics for another role or unknown names.
func (s *Server) AddProjectMember(projectName, username string, role int) {
	refuseIf(role < 1 || role > 5, "AddProjectMember: role must be 1-5, got %d", role)
	s.mu.Lock()
	defer s.mu.Unlock()
	p, u := s.state.projectByName[projectName], s.state.usersByName[username]
	if p == nil || u == nil { // not refuseIf: staticcheck must see that p and u are set below
		panic(fmt.Sprintf("harbortest: no project %q or user %q", projectName, username))
	}
	p.members[u.id] = role
}

// AddRepository creates repository "project/name" (or finds it) and
// returns its id. It panics for an invalid name or a missing project.
func (s *Server) AddRepository(projectName, name string) int64 {
	checkRepoName("AddRepository", name)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addRepositoryLocked(projectName, name).id
}

var (
	// repoNameRe is the distribution's repository path component rule.
	repoNameRe = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$`)
	digestRe   = regexp.MustCompile(`^sha256:[a-f0-9]{64}$`)
)

func validRepoName(name string) bool { return len(name) <= 255 && repoNameRe.MatchString(name) }

// checkRepoName, checkTagName and checkDelay check an argument of caller.
func checkRepoName(caller, name string) {
	refuseIf(!validRepoName(name), "%s: repository name %q is not valid", caller, name)
}

func checkTagName(caller, name string) {
	refuseIf(!tagNameRe.MatchString(name), "%s: tag name %q is not valid", caller, name)
}

func checkDelay(caller string, d time.Duration) {
	refuseIf(d < 0, "%s: delay must not be negative, got %v", caller, d)
}

func (s *Server) addRepositoryLocked(projectName, name string) *repository {
	p := s.state.projectByName[projectName]
	refuseIf(p == nil, "project %q does not exist", projectName)
	if repo := p.repos[name]; repo != nil {
		return repo
	}
	now := s.now()
	repo := &repository{id: newID(&s.state.nextRepoID), projectID: p.id, name: projectName + "/" + name,
		created: now, updated: now}
	p.repos[name] = repo
	i, _ := slices.BinarySearch(p.repoNames, name)
	p.repoNames = slices.Insert(p.repoNames, i, name)
	return repo
}

// AddArtifact adds an artifact to a repository (created if needed) and returns its id. It
// panics for a digest not "sha256:<64 hex>", an invalid repository name or a missing project.
func (s *Server) AddArtifact(projectName, repo, digest string) int64 {
	checkRepoName("AddArtifact", repo)
	refuseIf(!digestRe.MatchString(digest), "AddArtifact: digest %q is not sha256:<64 hex digits>", digest)
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.addRepositoryLocked(projectName, repo)
	a := &artifact{id: newID(&s.state.nextArtID), digest: digest, pushTime: s.now()}
	r.artifacts = append(r.artifacts, a)
	r.updated = a.pushTime
	s.hookPushLocked(projectName, r, a)
	return a.id
}

// AddAuditLog appends an entry to GET /audit-logs, e.g. AddAuditLog("create",
// "library/nginx", "repository", "admin"). It panics for an empty argument but username.
func (s *Server) AddAuditLog(operation, resource, resourceType, username string) int64 {
	refuseIf(operation == "" || resource == "" || resourceType == "",
		"AddAuditLog: operation %q, resource %q and resourceType %q must not be empty", operation, resource, resourceType)
	s.mu.Lock()
	defer s.mu.Unlock()
	l := &auditLog{id: int64(len(s.state.auditLogs) + 1), operation: operation, resource: resource,
		resourceType: resourceType, username: username, opTime: s.now()}
	s.state.auditLogs = append(s.state.auditLogs, l)
	return l.id
}

// Projects returns a snapshot of all projects, sorted by name.
func (s *Server) Projects() []Project {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Project, 0, len(s.state.projects))
	for _, name := range s.state.sortedProjectNames() {
		p := s.state.projectByName[name]
		out = append(out, Project{ID: p.id, Name: p.name, Public: p.public, OwnerID: p.ownerID,
			RepoCount: len(p.repos), CreationTime: p.created})
	}
	return out
}

// Robots returns a snapshot of all robot accounts, sorted by id.
func (s *Server) Robots() []Robot {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Robot, 0, len(s.state.robots))
	for _, id := range slices.Sorted(maps.Keys(s.state.robots)) {
		rb := s.state.robots[id]
		perms := mapped(rb.perms, func(p RobotPermission) RobotPermission {
			p.Access = slices.Clone(p.Access)
			return p
		})
		out = append(out, Robot{ID: rb.id, Name: s.fullRobotName(rb), Level: rb.level, ProjectID: rb.projectID,
			Description: rb.description, Disabled: rb.disabled, Duration: rb.duration,
			ExpiresAt: rb.expiresAt, CreatorRef: rb.creatorRef, CreatorType: rb.creatorType,
			CreationTime: rb.created, Permissions: perms})
	}
	return out
}

// RobotSecret returns the current secret of robot id.
func (s *Server) RobotSecret(id int64) (secret string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rb := s.state.robots[id]; rb != nil {
		return rb.secret, true
	}
	return "", false
}
