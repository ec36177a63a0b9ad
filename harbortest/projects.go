package harbortest

import (
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

type projectJSON struct {
	CreationTime       string            `json:"creation_time"`
	CurrentUserRoleID  int               `json:"current_user_role_id,omitempty"`
	CurrentUserRoleIDs []int             `json:"current_user_role_ids"`
	CveAllowlist       cveAllowlistJSON  `json:"cve_allowlist"`
	Metadata           map[string]string `json:"metadata"`
	Name               string            `json:"name"`
	OwnerID            int64             `json:"owner_id"`
	OwnerName          string            `json:"owner_name"`
	ProjectID          int64             `json:"project_id"`
	RegistryID         int64             `json:"registry_id,omitempty"`
	RepoCount          int               `json:"repo_count"`
	UpdateTime         string            `json:"update_time"`
}

const zeroTime = "0001-01-01T00:00:00.000Z"

func (s *Server) toProjectJSON(id identity, p *project) projectJSON {
	roles := s.roleIDs(id, p) // nil for none: current_user_role_ids null
	out := projectJSON{
		CreationTime:       harborTime(p.created),
		CurrentUserRoleID:  highestRole(roles),
		CurrentUserRoleIDs: roles,
		CveAllowlist:       s.projectAllowlistJSON(p), // allowlists.go
		Metadata:           s.projectMetadata(p),      // metadata.go
		Name:               p.name,
		OwnerID:            p.ownerID,
		ProjectID:          p.id,
		RegistryID:         p.registryID,
		RepoCount:          len(p.repos),
		UpdateTime:         harborTime(p.updated),
	}
	if o := s.state.users[p.ownerID]; o != nil {
		out.OwnerName = o.username
	}
	return out
}

// highestRole is current_user_role_id: the highest role Harbor knows, else 0 (b070: role 99).
func highestRole(roles []int) int {
	for _, r := range []int{RoleProjectAdmin, RoleMaintainer, RoleDeveloper, RoleGuest, RoleLimitedGuest} {
		if slices.Contains(roles, r) {
			return r
		}
	}
	return 0
}

// findProject resolves {project_name_or_id}, digits as an id unless X-Is-Resource-Name: true.
func (s *Server) findProject(r *request, nameOrID string) (*project, *apiError) {
	p := s.state.projectByName[nameOrID]
	n, err := strconv.ParseInt(nameOrID, 10, 64)
	if err == nil && r.Header.Get("X-Is-Resource-Name") != "true" {
		p, nameOrID = s.state.projects[n], strconv.FormatInt(n, 10)
	}
	if p == nil {
		return nil, errNotFound("project " + nameOrID + " not found")
	}
	return p, nil
}

var projectNameRe = regexp.MustCompile(`^[a-z0-9]+(?:[._-][a-z0-9]+)*$`)

type createProjectReq = struct {
	ProjectName  string            `json:"project_name"`
	Public       *bool             `json:"public"`
	Metadata     map[string]string `json:"metadata"`
	StorageLimit int64             `json:"storage_limit"` // 0: unlimited
	RegistryID   *int64            `json:"registry_id"`
}

func (s *Server) createProject(r *request, req *createProjectReq) (answer, *apiError) {
	if len(req.ProjectName) > 255 { // swagger.yaml's maxLength, bound before the handler (set4)
		return answer{}, errModel("project_name in body should be at most 255 chars long")
	}
	if !r.id.authenticated() {
		return answer{}, errUnauthorized()
	}
	owner := int64(1) // a robot's: its local creator, else admin
	if rb := r.id.robot; rb == nil {
		owner = r.id.user.id
	} else if rb.level != "system" {
		return answer{}, errForbidden("Only system level robot can create project")
	} else if !s.canSystem(r.id, "project", "create") {
		return answer{}, errForbidden(r.id.name(s.state.robotPrefix))
	} else if rb.creatorRef != 0 && rb.creatorType == "local" {
		owner = rb.creatorRef
	}
	// Harbor's order (set4): the handler's checks, then the project manager's name checks and
	// the database's unique name. A limit is an admin's (project:create), else the default.
	sysAdmin, limit := s.canSystem(r.id, "project", "create"), req.StorageLimit
	if limit == 0 || !sysAdmin {
		limit = -1
	}
	public, e := publicFrom(req.Metadata, req.Public, false)
	switch v, set := req.Metadata["public"]; {
	case req.RegistryID != nil && !sysAdmin:
		e = errForbidden("Only system admin can create proxy cache project")
	case set && v != "true" && v != "false":
		e = errBadRequest(fmt.Sprintf("metadata.public should only be 'true' or 'false', but got: '%s'", v))
	case req.Metadata["retention_id"] != "":
		e = errBadRequest("the retention_id in the request's payload when creating a project should be omitted, alternatively passing an empty string")
	case req.RegistryID != nil:
		e = s.proxyCacheRegistry(*req.RegistryID)
	}
	switch {
	case e != nil:
	case limit <= 0 && limit != -1:
		e = errBadRequest(fmt.Sprintf("bad request: invalid non-positive value for quota limit, value=%d", limit))
	case req.ProjectName == "":
		e = errBadRequest("Project name  is illegal in length. (greater than 255 or less than 1)")
	case !projectNameRe.MatchString(req.ProjectName):
		e = errBadRequest("project name is not in lower case or contains illegal characters")
	case s.state.projectByName[req.ProjectName] != nil:
		e = errConflict(fmt.Sprintf("The project named %s already exists", req.ProjectName))
	}
	if e != nil {
		return answer{}, e
	}
	p := s.state.addProject(req.ProjectName, public, owner, limit, s.now())
	delete(req.Metadata, "retention_id")
	if req.RegistryID != nil {
		p.registryID = *req.RegistryID
		s.addProxyCacheRetention(p)
	}
	setMetadata(p, req.Metadata)
	s.state.addAuditExt(s.now(), r.id, s.state.robotPrefix, "create", "project", p.name, "create project: "+p.name, p.id)
	loc := strconv.FormatInt(p.id, 10)
	if r.Header.Get("X-Resource-Name-In-Location") == "true" {
		loc = p.name
	}
	return r.created(apiPrefix + "/projects/" + loc)
}

func (s *Server) headProject(r *request) (answer, *apiError) {
	name := r.URL.Query().Get("project_name")
	if s.state.projectByName[name] == nil {
		return answer{}, errNotFound(fmt.Sprintf("project %s not found", name))
	}
	return reply(nil)
}

// projectMatch applies GET /projects' q and its name (fuzzy), public and owner parameters.
func (s *Server) projectMatch(v url.Values, q *query, p *project) bool {
	owner := ""
	if o := s.state.users[p.ownerID]; o != nil {
		owner = o.username
	}
	public, owned := v.Get("public"), v.Get("owner")
	return strings.Contains(p.name, v.Get("name")) && (public == "" || strconv.FormatBool(p.public) == public) &&
		(owned == "" || owner == owned) && q.str("name", p.name) && q.boolean("public", p.public) &&
		q.str("owner", owner) && q.num("project_id", p.id)
}

// visible reports whether Harbor lists p to id: all with system project:list, else
// the public ones and those a user is a member of or a robot's permissions name.
func (s *Server) visible(id identity, p *project, listAll bool) bool {
	if listAll || p.public {
		return true
	}
	if id.user != nil {
		_, ok := p.members[id.user.id]
		return ok
	}
	return id.robot != nil && slices.ContainsFunc(id.robot.perms, func(perm RobotPermission) bool {
		return perm.Kind == "project" && (perm.Namespace == "*" || perm.Namespace == p.name)
	})
}

// listProjects pages the visible projects in name order.
func (s *Server) listProjects(r *request, pp pageParams, q *query) (answer, *apiError) {
	v := r.URL.Query() // once, not per project
	listAll := s.canSystem(r.id, "project", "list")
	filtered := !listAll || v.Get("name") != "" || v.Get("public") != "" || v.Get("owner") != "" ||
		len(q.terms) > 0 || len(q.sorts) > 0
	names := s.state.sortedProjectNames()
	list := make([]*project, 0, len(names))
	for _, name := range names {
		p := s.state.projectByName[name]
		if !filtered || s.projectMatch(v, q, p) && s.visible(r.id, p, listAll) {
			list = append(list, p)
		}
	}
	sortItems(list, q, map[string]func(a, b *project) int{
		"name":          byString(func(p *project) string { return p.name }),
		"project_id":    byInt(func(p *project) int64 { return p.id }),
		"creation_time": byTime(func(p *project) time.Time { return p.created }),
		"update_time":   byTime(func(p *project) time.Time { return p.updated }),
	})
	return pageOf(r, list, pp, func(p *project) projectJSON { return s.toProjectJSON(r.id, p) })
}

func (s *Server) getProject(r *request, p *project) (answer, *apiError) {
	return reply(s.toProjectJSON(r.id, p))
}

func (s *Server) deleteProject(r *request, p *project) (answer, *apiError) {
	if len(p.repos) > 0 {
		return answer{}, errPrecondition("precondition failed: the project contains repositories, can not be deleted")
	}
	s.state.deleteProject(p)
	s.state.addAuditExt(s.now(), r.id, s.state.robotPrefix, "delete", "project", p.name, "delete project: "+p.name, p.id)
	s.onProjectDeleted(p) // metadata.go
	maps.DeleteFunc(s.state.robots, func(_ int64, rb *robot) bool { return rb.projectID == p.id })
	return reply(nil)
}

func (s *Server) projectSummary(r *request, p *project) (answer, *apiError) {
	admins := 0
	for _, role := range p.members {
		if role == RoleProjectAdmin {
			admins++
		}
	}
	return reply(map[string]any{
		"project_admin_count": admins,
		"quota": map[string]any{
			"hard": map[string]int64{"storage": p.storageLimit},
			"used": map[string]int64{"storage": 0},
		},
		"repo_count": len(p.repos),
	})
}

type updateProjectReq = struct {
	Public       *bool             `json:"public"`
	Metadata     map[string]string `json:"metadata"`
	StorageLimit int64             `json:"storage_limit"` // 0: unchanged
	CveAllowlist *allowlistReq     `json:"cve_allowlist"`
}

// updateProject sets the metadata keys given (others stay) and the CVE allowlist if given.
func (s *Server) updateProject(r *request, p *project, req *updateProjectReq) (answer, *apiError) {
	public, e := publicFrom(req.Metadata, req.Public, p.public)
	if e != nil {
		return answer{}, e
	}
	p.public = public
	setMetadata(p, req.Metadata)
	if al := req.CveAllowlist; al != nil {
		p.cveAllowlist, p.cveExpiresAt = al.Items, al.ExpiresAt
	}
	p.storageLimit = cmp.Or(req.StorageLimit, p.storageLimit)
	return reply(nil)
}

// projectDeletable leaves "deletable" out, not false, when p cannot be deleted (p173).
func (s *Server) projectDeletable(r *request, p *project) (answer, *apiError) {
	if len(p.repos) > 0 {
		return reply(map[string]any{"message": "the project contains repositories, can not be deleted"})
	}
	return reply(map[string]any{"deletable": true})
}

// projectLogs serves a project's legacy audit log: the seeded entries in it.
func (s *Server) projectLogs(r *request, pp pageParams, q *query) (answer, *apiError) {
	return listLogs(s, r, pp, q, s.state.auditLogs, s.logProject)
}

func (s *Server) projectLogExts(r *request, pp pageParams, q *query) (answer, *apiError) {
	return listLogs(s, r, pp, q, s.state.auditExts, s.logProject)
}

// logProject is the project of a project's audit log, for a caller with log:list.
func (s *Server) logProject(r *request) (*project, *apiError) {
	p, e := s.findProject(r, pathParam(r, "project_name"))
	if e == nil {
		e = s.requireProject(r.id, p, "log", "list")
	}
	return p, e
}

// proxyCacheTypes are the registry types Harbor permits for proxy-cache projects by default
// (PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE, make/photon/prepare/templates/core/env.jinja).
var proxyCacheTypes = set("docker-hub", "harbor", "azure-acr", "ali-acr", "aws-ecr", "google-gcr",
	"docker-registry", "github-ghcr", "jfrog-artifactory")

// proxyCacheRegistry checks a proxy-cache project's registry_id as Harbor's
// validateProjectReq does: 500 for no such registry (set3/t007), 400 for another type.
func (s *Server) proxyCacheRegistry(id int64) *apiError {
	if id <= 0 {
		return errBadRequest(fmt.Sprintf("%d is invalid value of registry_id, it should be geater than 0", id))
	}
	reg := s.state.registryState().byID[id]
	if reg == nil {
		return errInternal()
	}
	if !proxyCacheTypes[reg.Type] {
		return errBadRequest("unsupported registry type " + reg.Type)
	}
	return nil
}

// publicFrom is a project request's public flag: metadata.public, else legacy public, else current.
func publicFrom(md map[string]string, legacy *bool, current bool) (bool, *apiError) {
	if v, ok := md["public"]; ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return current, errBadRequest(fmt.Sprintf("invalid public metadata: %s", v))
		}
		return b, nil
	}
	setIf(&current, legacy)
	return current, nil
}

// projectMetadataKeys are the fields of Harbor's ProjectMetadata model but public (p.public).
var projectMetadataKeys = set("enable_content_trust", "enable_content_trust_cosign", "prevent_vul", "severity",
	"auto_scan", "auto_sbom_generation", "reuse_sys_cve_allowlist", "retention_id", "proxy_speed_kb",
	"max_upstream_conn", "proxy_cache_local_on_not_found")

// setMetadata stores a request's metadata as Harbor's copy into its model does:
// other keys are dropped (set4), and so are the proxy-cache settings of another
// project and a proxy-cache project's content trust (goharbor/harbor#12940).
func setMetadata(p *project, md map[string]string) {
	for k, v := range md {
		switch {
		case !projectMetadataKeys[k]:
		case p.registryID == 0 && (k == "proxy_speed_kb" || k == "max_upstream_conn"):
		case p.registryID != 0 && k == "enable_content_trust":
		default:
			p.metadata[k] = v
		}
	}
}
