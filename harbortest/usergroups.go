package harbortest

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

type userGroupJSON struct {
	GroupName   string `json:"group_name"`
	GroupType   int    `json:"group_type"`
	ID          int64  `json:"id,omitempty"`
	LdapGroupDN string `json:"ldap_group_dn,omitempty"`
}

type userGroupRequest struct {
	GroupName   string `json:"group_name"`
	GroupType   int    `json:"group_type"`
	LdapGroupDN string `json:"ldap_group_dn"`
}

// sortedGroups returns the groups matching keep, by name.
func (st *state) sortedGroups(keep func(*userGroup) bool) []*userGroup {
	var out []*userGroup
	for _, g := range st.userGroups {
		if keep(g) {
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func (s *Server) listUserGroups(r *request) (answer, *apiError) {
	return s.writeGroups(r, "list", func(g *userGroup) bool {
		v := r.URL.Query()
		return (v.Get("group_name") == "" || strings.Contains(g.name, v.Get("group_name"))) &&
			(v.Get("ldap_group_dn") == "" || g.ldapDN == v.Get("ldap_group_dn"))
	}, true)
}

func (s *Server) searchUserGroups(r *request) (answer, *apiError) {
	if !r.URL.Query().Has("groupname") {
		return answer{}, errUnprocessable("groupname in query is required")
	}
	name := r.URL.Query().Get("groupname")
	return s.writeGroups(r, "list", func(g *userGroup) bool { return strings.Contains(g.name, name) }, false)
}

// writeGroups answers a list or search of groups; a search leaves out the
// LDAP DN, as Harbor's UserGroupSearchItem does.
func (s *Server) writeGroups(r *request, action string, keep func(*userGroup) bool, withDN bool) (answer, *apiError) {
	pp, perr := parsePage(r)
	if perr != nil {
		return answer{}, perr
	}
	if e := s.requireSystem(r.id, "user-group", action); e != nil {
		return answer{}, e
	}
	groups := s.state.sortedGroups(keep)
	start, end := pp.bounds(len(groups))
	out := make([]userGroupJSON, 0, end-start)
	for _, g := range groups[start:end] {
		j := userGroupJSON{GroupName: g.name, GroupType: g.groupType, ID: g.id}
		if withDN {
			j.LdapGroupDN = g.ldapDN
		}
		out = append(out, j)
	}
	setPagination(r.header, r, len(groups), pp)
	return reply(out)
}

func (s *Server) createUserGroup(r *request) (answer, *apiError) {
	var req userGroupRequest
	if e := decodeBody(r, &req, "usergroup"); e != nil {
		return answer{}, e
	}
	if e := s.requireSystem(r.id, "user-group", "create"); e != nil {
		return answer{}, e
	}
	if req.GroupType == 1 {
		return answer{}, errBadRequest("LDAP Group DN is not found: DN:" + req.LdapGroupDN)
	}
	if strings.TrimSpace(req.GroupName) == "" {
		return answer{}, errBadRequest("group name is required")
	}
	g := &userGroup{id: s.state.nextGroupID, name: req.GroupName, groupType: req.GroupType, ldapDN: req.LdapGroupDN}
	s.state.nextGroupID++
	s.state.userGroups[g.id] = g
	r.header.Set("Location", apiPrefix+"/usergroups/"+strconv.FormatInt(g.id, 10))
	return answer{status: http.StatusCreated}, nil
}

// findGroup checks the permission, then resolves {group_id}. Callers hold s.mu.
func (s *Server) findGroup(r *request, action string) (*userGroup, *apiError) {
	v := pathParam(r, "group_id")
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, errUnprocessable(fmt.Sprintf("group_id in path must be of type int64: %q", v))
	}
	if e := s.requireSystem(r.id, "user-group", action); e != nil {
		return nil, e
	}
	g := s.state.userGroups[n]
	if g == nil {
		return nil, errNotFound(fmt.Sprintf("the user group with id %d is not found", n))
	}
	return g, nil
}

// getUserGroup answers name and type only, as Harbor does (b046).
func (s *Server) getUserGroup(r *request) (answer, *apiError) {
	g, e := s.findGroup(r, "read")
	var out userGroupJSON
	if e == nil {
		out = userGroupJSON{GroupName: g.name, GroupType: g.groupType, LdapGroupDN: g.ldapDN}
	}
	if e != nil {
		return answer{}, e
	}
	return reply(out)
}

// updateUserGroup renames a group; its type cannot change.
func (s *Server) updateUserGroup(r *request) (answer, *apiError) {
	var req userGroupRequest
	if e := decodeBody(r, &req, "usergroup"); e != nil {
		return answer{}, e
	}
	g, e := s.findGroup(r, "update")
	if e != nil {
		return answer{}, e
	}
	if req.GroupName != "" {
		g.name = req.GroupName
	}
	return reply(nil)
}

func (s *Server) deleteUserGroup(r *request) (answer, *apiError) {
	g, e := s.findGroup(r, "delete")
	if e != nil {
		return answer{}, e
	}
	delete(s.state.userGroups, g.id)
	return reply(nil)
}
