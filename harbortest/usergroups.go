package harbortest

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// userGroupRoutes serves /usergroups. Without an LDAP server, an LDAP group
// (type 1) cannot be created (b040); HTTP (2), OIDC (3) and any other type
// are stored as given (b041-b043).
func (s *Server) userGroupRoutes() []route {
	return []route{
		{"listUserGroups", "GET", "/usergroups", s.listUserGroups},
		{"createUserGroup", "POST", "/usergroups", s.createUserGroup},
		{"searchUserGroups", "GET", "/usergroups/search", s.searchUserGroups},
		{"getUserGroup", "GET", "/usergroups/{group_id}", s.getUserGroup},
		{"updateUserGroup", "PUT", "/usergroups/{group_id}", s.updateUserGroup},
		{"deleteUserGroup", "DELETE", "/usergroups/{group_id}", s.deleteUserGroup},
	}
}

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

func (s *Server) listUserGroups(w http.ResponseWriter, r *http.Request) {
	s.writeGroups(w, r, "list", func(g *userGroup) bool {
		v := r.URL.Query()
		return (v.Get("group_name") == "" || strings.Contains(g.name, v.Get("group_name"))) &&
			(v.Get("ldap_group_dn") == "" || g.ldapDN == v.Get("ldap_group_dn"))
	}, true)
}

func (s *Server) searchUserGroups(w http.ResponseWriter, r *http.Request) {
	if !r.URL.Query().Has("groupname") {
		writeError(w, errUnprocessable("groupname in query is required"))
		return
	}
	name := r.URL.Query().Get("groupname")
	s.writeGroups(w, r, "list", func(g *userGroup) bool { return strings.Contains(g.name, name) }, false)
}

// writeGroups answers a list or search of groups; a search leaves out the
// LDAP DN, as Harbor's UserGroupSearchItem does.
func (s *Server) writeGroups(w http.ResponseWriter, r *http.Request, action string, keep func(*userGroup) bool, withDN bool) {
	pp, perr := parsePage(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	s.mu.Lock()
	id := s.authenticate(r)
	if e := s.requireSystem(id, "user-group", action); e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
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
	s.mu.Unlock()
	setPagination(w.Header(), r, len(groups), pp)
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) createUserGroup(w http.ResponseWriter, r *http.Request) {
	var req userGroupRequest
	if e := decodeBody(r, &req, "usergroup"); e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.authenticate(r)
	if e := s.requireSystem(id, "user-group", "create"); e != nil {
		writeError(w, e)
		return
	}
	if req.GroupType == 1 {
		writeError(w, errBadRequest("LDAP Group DN is not found: DN:"+req.LdapGroupDN))
		return
	}
	if strings.TrimSpace(req.GroupName) == "" {
		writeError(w, errBadRequest("group name is required"))
		return
	}
	g := &userGroup{id: s.state.nextGroupID, name: req.GroupName, groupType: req.GroupType, ldapDN: req.LdapGroupDN}
	s.state.nextGroupID++
	s.state.userGroups[g.id] = g
	w.Header().Set("Location", apiPrefix+"/usergroups/"+strconv.FormatInt(g.id, 10))
	w.WriteHeader(http.StatusCreated)
}

// findGroup checks the permission, then resolves {group_id}. Callers hold s.mu.
func (s *Server) findGroup(r *http.Request, action string) (*userGroup, *apiError) {
	v := pathParam(r, "group_id")
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, errUnprocessable(fmt.Sprintf("group_id in path must be of type int64: %q", v))
	}
	if e := s.requireSystem(s.authenticate(r), "user-group", action); e != nil {
		return nil, e
	}
	g := s.state.userGroups[n]
	if g == nil {
		return nil, errNotFound(fmt.Sprintf("the user group with id %d is not found", n))
	}
	return g, nil
}

// getUserGroup answers name and type only, as Harbor does (b046).
func (s *Server) getUserGroup(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	g, e := s.findGroup(r, "read")
	var out userGroupJSON
	if e == nil {
		out = userGroupJSON{GroupName: g.name, GroupType: g.groupType, LdapGroupDN: g.ldapDN}
	}
	s.mu.Unlock()
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// updateUserGroup renames a group; its type cannot change.
func (s *Server) updateUserGroup(w http.ResponseWriter, r *http.Request) {
	var req userGroupRequest
	if e := decodeBody(r, &req, "usergroup"); e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, e := s.findGroup(r, "update")
	if e != nil {
		writeError(w, e)
		return
	}
	if req.GroupName != "" {
		g.name = req.GroupName
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) deleteUserGroup(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, e := s.findGroup(r, "delete")
	if e != nil {
		writeError(w, e)
		return
	}
	delete(s.state.userGroups, g.id)
	w.WriteHeader(http.StatusOK)
}
