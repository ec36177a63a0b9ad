package harbortest

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Project member roles as Harbor numbers them (role_id), for AddProjectMember and the API.
const (
	RoleProjectAdmin = 1 // all permissions in the project
	RoleDeveloper    = 2 // push and pull, list members
	RoleGuest        = 3 // pull and read
	RoleMaintainer   = 4 // developer plus tag rules, labels and scanning
	RoleLimitedGuest = 5 // pull only
)

var roleNames = map[int]string{
	RoleProjectAdmin: "projectAdmin", RoleDeveloper: "developer", RoleGuest: "guest",
	RoleMaintainer: "maintainer", RoleLimitedGuest: "limitedGuest",
}

// memberKey is a membership: of a user ('u') or a group ('g') in a project.
type memberKey struct {
	project int64
	kind    byte
	entity  int64
}

// memberState holds the rest of Harbor's project_member table beyond the user
// roles in project.members (which permission checks read): ids, group members.
type memberState struct {
	nextID int64
	ids    map[memberKey]int64
	groups map[int64]map[int64]int // project id -> group id -> role
}

func (st *state) memberState() *memberState {
	return lazy(&st.members, func() *memberState {
		return &memberState{nextID: 1, ids: map[memberKey]int64{}, groups: map[int64]map[int64]int{}}
	})
}

// memberID is k's id, given on first use (seeded memberships have none yet).
func (ms *memberState) memberID(k memberKey) int64 {
	if _, ok := ms.ids[k]; !ok {
		ms.ids[k] = newID(&ms.nextID)
	}
	return ms.ids[k]
}

type memberJSON struct {
	EntityID   int64  `json:"entity_id"`
	EntityName string `json:"entity_name"`
	EntityType string `json:"entity_type"`
	ID         int64  `json:"id"`
	ProjectID  int64  `json:"project_id"`
	RoleID     int    `json:"role_id"`
	RoleName   string `json:"role_name"`
}

// toMemberJSON shows membership k of id mid (a group that is gone: no name).
func (s *Server) toMemberJSON(k memberKey, mid int64, role int) memberJSON {
	name := ""
	if k.kind == 'u' {
		name = s.state.users[k.entity].username
	} else if g := s.state.userGroups[k.entity]; g != nil {
		name = g.GroupName
	}
	return memberJSON{EntityID: k.entity, EntityName: name, EntityType: string(k.kind), ID: mid,
		ProjectID: k.project, RoleID: role, RoleName: roleNames[role]}
}

// listProjectMembers lists p's members by entity name. Like Harbor it counts them all but
// lists neither a role its role table does not know nor, by entityname (exact), other names.
func (s *Server) listProjectMembers(r *request, p *project, pp pageParams) (answer, *apiError) {
	ms := s.state.memberState()
	var out []memberJSON
	total := 0
	add := func(k memberKey, role int) {
		total++
		if roleNames[role] != "" {
			out = append(out, s.toMemberJSON(k, ms.memberID(k), role))
		}
	}
	for uid, role := range p.members {
		if s.state.users[uid] != nil {
			add(memberKey{p.id, 'u', uid}, role)
		}
	}
	for gid, role := range ms.groups[p.id] {
		if s.state.userGroups[gid] != nil {
			add(memberKey{p.id, 'g', gid}, role)
		}
	}
	slices.SortFunc(out, func(a, b memberJSON) int {
		return cmp.Or(strings.Compare(a.EntityName, b.EntityName), cmp.Compare(a.ID, b.ID))
	})
	if name := r.URL.Query().Get("entityname"); name != "" {
		out = slices.DeleteFunc(out, func(m memberJSON) bool { return m.EntityName != name })
	}
	start, end := pp.bounds(len(out))
	setPagination(r.header, r, total, pp)
	return reply(append([]memberJSON{}, out[start:end]...))
}

// memberRole returns the role of a membership and whether it still exists.
func (s *Server) memberRole(k memberKey) (int, bool) {
	if k.kind == 0 || s.state.projects[k.project] == nil || k.kind == 'u' && s.state.users[k.entity] == nil {
		return 0, false
	}
	role, ok := s.memberRoles(k)[k.entity]
	return role, ok
}

type roleRequest = struct {
	RoleID int64 `json:"role_id"`
}

type memberRequest struct {
	RoleID     int64 `json:"role_id"`
	MemberUser struct {
		UserID   int64  `json:"user_id"`
		Username string `json:"username"`
	} `json:"member_user"`
	MemberGroup UserGroup `json:"member_group"`
}

func (s *Server) createProjectMember(r *request, p *project, req *memberRequest) (answer, *apiError) {
	if req == nil {
		return answer{}, errBadRequest("the project member should provide") // set4/u011
	}
	ms, mu, mg := s.state.memberState(), req.MemberUser, req.MemberGroup
	// The order of Harbor's member controller: ids as given (no lookup), names
	// looked up (LDAP/OIDC would onboard them, DB auth cannot), duplicates, role.
	var k memberKey
	switch {
	case mu.UserID > 0:
		k = memberKey{p.id, 'u', mu.UserID}
	case mg.ID > 0:
		k = memberKey{p.id, 'g', mg.ID}
	case mu.Username != "":
		u := s.state.usersByName[mu.Username]
		if u == nil {
			return answer{}, errNotFound(fmt.Sprintf("user %s is not found", mu.Username))
		}
		k = memberKey{p.id, 'u', u.id}
	case mg.GroupName != "":
		k = memberKey{p.id, 'g', 0}
		for _, g := range s.state.userGroups {
			if g.GroupName == mg.GroupName && (mg.GroupType == 0 || g.GroupType == mg.GroupType) {
				k.entity = g.ID
			}
		}
		if k.entity == 0 {
			return answer{}, errNotFound(mg.GroupName + " not found: not supported")
		}
	default:
		return answer{}, errInternal() // "can not get valid member entity"
	}
	if _, exists := s.memberRole(k); exists {
		return answer{}, errConflict("The project member specified already exist")
	}
	if roleNames[int(req.RoleID)] == "" {
		return answer{}, errBadRequest("Failed to update project member, role is not in 1,2,3")
	}
	if k.kind == 'g' && ms.groups[p.id] == nil {
		ms.groups[p.id] = map[int64]int{}
	}
	s.memberRoles(k)[k.entity] = int(req.RoleID)
	delete(ms.ids, k) // a fresh membership gets a fresh id
	mid := ms.memberID(k)
	return r.created(apiPrefix + "/projects/" + pathParam(r, "project_name_or_id") + "/members/" + strconv.FormatInt(mid, 10))
}

func (s *Server) getProjectMember(r *request, k memberKey) (answer, *apiError) {
	mid, _ := pathID(r, "mid") // memberAt parsed it
	role, ok := s.memberRole(k)
	if !ok || roleNames[role] == "" {
		return answer{}, errNotFound(fmt.Sprintf("the project member is not found, project id %d, member id %d", k.project, mid))
	}
	return reply(s.toMemberJSON(k, mid, role))
}

// updateProjectMember stores any role_id and, like Harbor, answers 200 for no such member.
func (s *Server) updateProjectMember(r *request, k memberKey, req *roleRequest) (answer, *apiError) {
	if req == nil {
		return answer{}, errBadRequest("role can not be empty") // before the member, set4/u016
	}
	if _, exists := s.memberRole(k); exists {
		s.memberRoles(k)[k.entity] = int(req.RoleID)
	}
	return reply(nil)
}

// deleteProjectMember removes a membership (200 when there is none, as in Harbor).
func (s *Server) deleteProjectMember(r *request, k memberKey) (answer, *apiError) {
	if k.kind != 0 {
		delete(s.memberRoles(k), k.entity)
		delete(s.state.memberState().ids, k)
	}
	return reply(nil)
}

// memberAt resolves the project (member:action) and {mid}: its membership, else kind 0.
func (s *Server) memberAt(r *request, action string) (memberKey, *apiError) {
	p, e := s.projectFromPath(r, r.id, "member", action)
	mid := int64(0)
	if e == nil {
		mid, e = pathID(r, "mid")
	}
	if e != nil {
		return memberKey{}, e
	}
	for k, id := range s.state.memberState().ids {
		if id == mid && k.project == p.id {
			return k, nil
		}
	}
	return memberKey{project: p.id}, nil
}

// memberRoles is the role map of membership k: its project's users' or groups'.
func (s *Server) memberRoles(k memberKey) map[int64]int {
	if k.kind == 'u' {
		return s.state.projects[k.project].members
	}
	return s.state.memberState().groups[k.project]
}
