package harbortest

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

type userGroup struct {
	id     int64
	name   string
	typ    int // 1 LDAP, 2 HTTP, 3 OIDC; Harbor accepts any other number too
	ldapDN string
}

type userGroupState struct {
	nextID int64
	byID   map[int64]*userGroup
}

func (st *state) userGroupState() *userGroupState {
	if st.usergroups == nil {
		st.usergroups = &userGroupState{nextID: 1, byID: map[int64]*userGroup{}}
	}
	return st.usergroups
}

// userGroupName returns the name of user group gid.
func (s *Server) userGroupName(gid int64) (string, bool) {
	if g := s.state.userGroupState().byID[gid]; g != nil {
		return g.name, true
	}
	return "", false
}

// userGroupByName returns the id of the user group called name.
func (s *Server) userGroupByName(name string) (int64, bool) {
	for _, g := range s.state.userGroupState().byID {
		if g.name == name {
			return g.id, true
		}
	}
	return 0, false
}

// userGroupJSON is Harbor's UserGroup. GET of one group leaves the id out
// (b046), lists and search include it.
type userGroupJSON struct {
	GroupName   string `json:"group_name,omitempty"`
	GroupType   int    `json:"group_type,omitempty"`
	ID          int64  `json:"id,omitempty"`
	LdapGroupDN string `json:"ldap_group_dn,omitempty"`
}

func (g *userGroup) toJSON(withID bool) userGroupJSON {
	out := userGroupJSON{GroupName: g.name, GroupType: g.typ, LdapGroupDN: g.ldapDN}
	if withID {
		out.ID = g.id
	}
	return out
}

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

// sortedGroups returns the groups whose name passes keep, sorted by name.
func (s *Server) sortedGroups(keep func(*userGroup) bool) []userGroupJSON {
	var out []userGroupJSON
	for _, g := range s.state.userGroupState().byID {
		if keep(g) {
			out = append(out, g.toJSON(true))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].GroupName < out[j].GroupName })
	return out
}

func (s *Server) listUserGroups(w http.ResponseWriter, r *http.Request) {
	pp, e := parsePage(r)
	if e != nil {
		writeError(w, e)
		return
	}
	qs := r.URL.Query()
	name := qs.Get("group_name")
	dn := qs.Get("ldap_group_dn")
	s.mu.Lock()
	if e := s.requireSystem(s.authenticate(r), "user-group", "list"); e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	out := s.sortedGroups(func(g *userGroup) bool {
		return (name == "" || strings.Contains(g.name, name)) && (dn == "" || g.ldapDN == dn)
	})
	s.mu.Unlock()
	writeList(w, r, out, pp)
}

// searchUserGroups finds groups by a fragment of their name; any
// authenticated caller may search.
func (s *Server) searchUserGroups(w http.ResponseWriter, r *http.Request) {
	pp, e := parsePage(r)
	if e != nil {
		writeError(w, e)
		return
	}
	name := r.URL.Query().Get("groupname")
	if name == "" {
		writeError(w, errUnprocessable("groupname in query is required"))
		return
	}
	s.mu.Lock()
	if !s.authenticate(r).authenticated() {
		s.mu.Unlock()
		writeError(w, errUnauthorized())
		return
	}
	out := s.sortedGroups(func(g *userGroup) bool { return strings.Contains(g.name, name) })
	s.mu.Unlock()
	writeList(w, r, out, pp)
}

type userGroupRequest struct {
	GroupName   string `json:"group_name"`
	GroupType   int    `json:"group_type"`
	LdapGroupDN string `json:"ldap_group_dn"`
}

// createUserGroup: an LDAP group cannot be created without an LDAP server;
// every other group_type, even an unknown one, is accepted (b043).
func (s *Server) createUserGroup(w http.ResponseWriter, r *http.Request) {
	var req userGroupRequest
	if e := decodeBody(r, &req, "usergroup"); e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.requireSystem(s.authenticate(r), "user-group", "create"); e != nil {
		writeError(w, e)
		return
	}
	if req.GroupType == 1 {
		writeError(w, errBadRequest("LDAP Group DN is not found: DN:"+req.LdapGroupDN))
		return
	}
	if req.GroupName == "" {
		writeError(w, errBadRequest("group name is required"))
		return
	}
	if _, taken := s.userGroupByName(req.GroupName); taken {
		writeError(w, errConflict(fmt.Sprintf("group %s already exists", req.GroupName)))
		return
	}
	gs := s.state.userGroupState()
	g := &userGroup{id: gs.nextID, name: req.GroupName, typ: req.GroupType, ldapDN: req.LdapGroupDN}
	gs.nextID++
	gs.byID[g.id] = g
	writeCreated(w, apiPrefix+"/usergroups/"+strconv.FormatInt(g.id, 10))
}

func (s *Server) userGroupFromPath(r *http.Request, action string) (*userGroup, *apiError) {
	gid, e := pathID(r, "group_id")
	if e != nil {
		return nil, e
	}
	if e := s.requireSystem(s.authenticate(r), "user-group", action); e != nil {
		return nil, e
	}
	g := s.state.userGroupState().byID[gid]
	if g == nil {
		return nil, errNotFound(fmt.Sprintf("the user group with id %d is not found", gid))
	}
	return g, nil
}

func (s *Server) getUserGroup(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, e := s.userGroupFromPath(r, "read")
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, g.toJSON(false))
}

// updateUserGroup renames a group (Harbor changes only the name).
func (s *Server) updateUserGroup(w http.ResponseWriter, r *http.Request) {
	var req userGroupRequest
	if e := decodeBody(r, &req, "usergroup"); e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, e := s.userGroupFromPath(r, "update")
	if e != nil {
		writeError(w, e)
		return
	}
	if req.GroupName != "" {
		g.name = req.GroupName
	}
	writeOK(w)
}

// deleteUserGroup removes the group and its project memberships.
func (s *Server) deleteUserGroup(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, e := s.userGroupFromPath(r, "delete")
	if e != nil {
		writeError(w, e)
		return
	}
	delete(s.state.userGroupState().byID, g.id)
	ms := s.state.memberState()
	for pid := range ms.groups {
		delete(ms.groups[pid], g.id)
	}
	for k := range ms.ids {
		if k.kind == 'g' && k.entity == g.id {
			delete(ms.ids, k)
		}
	}
	writeOK(w)
}
