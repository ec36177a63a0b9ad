package harbortest

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

// identity is the security context of a request.
type identity struct {
	user  *user  // a local user (admin or created via API), or nil
	robot *robot // a robot account, or nil
}

func (id identity) authenticated() bool { return id.user != nil || id.robot != nil }
func (id identity) sysAdmin() bool      { return id.user != nil && id.user.admin }

// name is what Harbor puts in 403 messages for system resources.
func (id identity) name(prefix string) string {
	switch {
	case id.user != nil:
		return id.user.username
	case id.robot != nil:
		return prefix + id.robot.name
	}
	return "anonymous"
}

// authenticate resolves the caller: as in Harbor, wrong credentials make it anonymous; basic auth goes first.
func (s *Server) authenticate(r *http.Request) identity {
	if username, password, ok := r.BasicAuth(); ok {
		if strings.HasPrefix(username, s.state.robotPrefix) {
			for _, rb := range s.state.robots {
				if s.state.robotPrefix+rb.name != username {
					continue
				}
				expired := rb.expiresAt != -1 && s.now().Unix() > rb.expiresAt
				if rb.secret != password || rb.disabled || expired {
					return identity{}
				}
				return identity{robot: rb}
			}
		}
		if u := s.state.usersByName[username]; u != nil && s.checkPassword(u, password) {
			return identity{user: u}
		}
		return identity{}
	}
	if c, err := r.Cookie("sid"); err == nil && s.sessions[c.Value] != nil {
		if u := s.state.users[s.sessions[c.Value].uid]; u != nil {
			return identity{user: u}
		}
	}
	return identity{}
}

// canSystem reports whether id may do action on a system-level resource.
func (s *Server) canSystem(id identity, resource, action string) bool {
	return id.sysAdmin() || id.robot != nil && slices.ContainsFunc(id.robot.perms, func(p RobotPermission) bool {
		return p.Kind == "system" && slices.ContainsFunc(p.Access, func(a Access) bool {
			return a.Resource == resource && a.Action == action
		})
	})
}

// requireSystem is Harbor's RequireSystemAccess: 401 if anonymous, else 403 naming the caller.
func (s *Server) requireSystem(id identity, resource, action string) *apiError {
	if !id.authenticated() {
		return errUnauthorized()
	}
	if !s.canSystem(id, resource, action) {
		return errForbidden(id.name(s.state.robotPrefix))
	}
	return nil
}

// publicActions are what anybody may do on a public project, and Harbor's guest role.
var publicActions = set("project:read", "repository:list", "repository:read", "repository:pull",
	"artifact:read", "artifact:list", "tag:list", "artifact-addition:read", "accessory:list")

// developerActions extends publicActions for the developer role.
var developerActions = set(append(slices.Collect(maps.Keys(publicActions)), "repository:push",
	"repository:update", "artifact:create", "tag:create", "artifact-label:create", "artifact-label:delete",
	"scan:create", "label:list", "member:list")...)

// roleActions are Harbor's role permissions for these resources (src/common/rbac/project/rbac_role.go):
// each role has those of the one below and more. No role has metadata:list.
var roleActions = func() map[int]map[string]bool {
	limitedGuest := []string{"quota:read", "scanner:read"}
	guest := slices.Concat(limitedGuest, []string{"member:read", "member:list", "label:read", "label:list"})
	developer := slices.Concat(guest, []string{"tag-retention:create", "tag-retention:read",
		"tag-retention:update", "tag-retention:delete", "tag-retention:list", "tag-retention:operate"})
	maintainer := slices.Concat(developer, []string{"metadata:create", "metadata:read", "metadata:update",
		"metadata:delete", "label:create", "label:update", "label:delete", "immutable-tag:create",
		"immutable-tag:update", "immutable-tag:delete", "immutable-tag:list", "notification-policy:list",
		"preheat-policy:read", "preheat-policy:list"})
	admin := slices.Concat(maintainer, []string{"member:create", "member:update", "member:delete",
		"notification-policy:create", "notification-policy:update", "notification-policy:delete",
		"notification-policy:read", "scanner:create", "preheat-policy:create", "preheat-policy:update",
		"preheat-policy:delete"})
	return map[int]map[string]bool{
		RoleProjectAdmin: set(admin...),
		RoleMaintainer:   set(maintainer...),
		RoleDeveloper:    set(developer...),
		RoleGuest:        set(guest...),
		RoleLimitedGuest: set(limitedGuest...),
	}
}()

// roleResources are the resources roleActions covers, all in the project admin's.
var roleResources = func() map[string]bool {
	m := map[string]bool{}
	for key := range roleActions[RoleProjectAdmin] {
		res, _, _ := strings.Cut(key, ":")
		m[res] = true
	}
	return m
}()

// canProject reports whether id may do action on resource in p. Members get
// roleActions for the resources it lists, else what their role allows.
func (s *Server) canProject(id identity, p *project, resource, action string) bool {
	key := resource + ":" + action
	switch {
	case p.public && publicActions[key], id.sysAdmin():
		return true
	case id.robot != nil:
		return slices.ContainsFunc(id.robot.perms, func(perm RobotPermission) bool {
			return perm.Kind == "project" && (perm.Namespace == p.name || perm.Namespace == "*") &&
				slices.ContainsFunc(perm.Access, func(a Access) bool {
					return (a.Resource == resource || a.Resource == "*") && (a.Action == action || a.Action == "*")
				})
		})
	case id.user == nil:
		return false
	}
	role, member := p.members[id.user.id]
	switch {
	case !member:
		return false
	case roleResources[resource]:
		return roleActions[role][key]
	case role == RoleProjectAdmin, role == RoleMaintainer:
		return true
	case role == RoleDeveloper:
		return developerActions[key]
	}
	return role == RoleGuest && publicActions[key]
}

// requireProject is Harbor's RequireProjectAccess: 401 if anonymous, else 403 "forbidden".
func (s *Server) requireProject(id identity, p *project, resource, action string) *apiError {
	if s.canProject(id, p, resource, action) {
		return nil
	}
	if !id.authenticated() {
		return errUnauthorized()
	}
	return errForbidden("forbidden")
}

// projectFromPath resolves {project_name_or_id} and checks id's permission.
func (s *Server) projectFromPath(r *request, id identity, resource, action string) (*project, *apiError) {
	p, e := s.findProject(r, pathParam(r, "project_name_or_id"))
	if e != nil {
		return nil, e
	}
	return p, s.requireProject(id, p, resource, action)
}

// roleIDs returns the caller's roles in p (nil for robots and non-members).
func (s *Server) roleIDs(id identity, p *project) []int {
	if id.user != nil {
		if r, ok := p.members[id.user.id]; ok {
			return []int{r}
		}
	}
	return nil
}

func set(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}
