package harbortest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// UserGroup is a user group as the API reads and writes it: Harbor's model, named in the
// 422 of a wrongly typed field ("Go struct field UserGroup.group_name"). GroupType is
// 1 for LDAP, 2 for HTTP and 3 for OIDC groups.
type UserGroup struct {
	GroupName   string `json:"group_name"`
	GroupType   int64  `json:"group_type"`
	ID          int64  `json:"id,omitempty"`
	LdapGroupDN string `json:"ldap_group_dn,omitempty"`
}

func (s *Server) listUserGroups(r *request, pp pageParams) (answer, *apiError) {
	return s.writeGroups(r, pp, r.URL.Query().Get("group_name"), r.URL.Query().Get("ldap_group_dn"), true)
}

func (s *Server) searchUserGroups(r *request, pp pageParams) (answer, *apiError) {
	if !r.URL.Query().Has("groupname") {
		return answer{}, errUnprocessable("groupname in query is required")
	}
	return s.writeGroups(r, pp, r.URL.Query().Get("groupname"), "", false)
}

// writeGroups answers the groups whose name contains name (and of LDAP DN dn if
// given); a search leaves out the DN, as Harbor's UserGroupSearchItem does.
func (s *Server) writeGroups(r *request, pp pageParams, name, dn string, withDN bool) (answer, *apiError) {
	if e := s.requireSystem(r.id, "user-group", "list"); e != nil {
		return answer{}, e
	}
	groups := slices.DeleteFunc(slices.Collect(maps.Values(s.state.userGroups)), func(g *UserGroup) bool {
		return !strings.Contains(g.GroupName, name) || dn != "" && g.LdapGroupDN != dn
	})
	sort.Slice(groups, func(i, j int) bool { return groups[i].GroupName < groups[j].GroupName })
	return pageOf(r, groups, pp, func(g *UserGroup) UserGroup {
		j := *g
		if !withDN {
			j.LdapGroupDN = ""
		}
		return j
	})
}

// noGroupName is Harbor's answer to a user group without a name (or no body):
// 400 with no body (set4/u019, u023).
var noGroupName = answer{http.StatusBadRequest, emptyJSON{}}

func (s *Server) createUserGroup(r *request, req *UserGroup) (answer, *apiError) {
	switch {
	case req == nil || req.GroupName == "":
		return noGroupName, nil
	case req.GroupType == 1:
		return answer{}, errBadRequest("LDAP Group DN is not found: DN:" + req.LdapGroupDN)
	}
	for _, g := range s.state.userGroups {
		if g.GroupName == req.GroupName && g.GroupType == req.GroupType {
			return answer{}, errConflict(fmt.Sprintf("duplicate user group, group name:%s, group type: %d, ldap group DN: %s",
				g.GroupName, g.GroupType, req.LdapGroupDN))
		}
	}
	req.ID = newID(&s.state.nextGroupID)
	s.state.userGroups[req.ID] = req
	return r.created(apiPrefix + "/usergroups/" + strconv.FormatInt(req.ID, 10))
}

// groupAt resolves {group_id} for a caller with user-group:action.
func (s *Server) groupAt(r *request, action string) (*UserGroup, *apiError) {
	return systemItem(s, r, "group_id", "user-group", action, s.state.userGroups, "the user group with id %d is not found")
}

// getUserGroup answers all but the id, as Harbor does (b046).
func (s *Server) getUserGroup(r *request, g *UserGroup) (answer, *apiError) {
	return reply(UserGroup{GroupName: g.GroupName, GroupType: g.GroupType, LdapGroupDN: g.LdapGroupDN})
}

// updateUserGroup renames a group (its type cannot change); Harbor checks the
// name before it looks the group up.
func (s *Server) updateUserGroup(r *request, req *UserGroup) (answer, *apiError) {
	if req == nil || req.GroupName == "" {
		return noGroupName, nil
	}
	g, e := s.groupAt(r, "update")
	if e == nil {
		g.GroupName = req.GroupName
	}
	return replyOr[any](nil, e)
}

func (s *Server) deleteUserGroup(r *request, g *UserGroup) (answer, *apiError) {
	delete(s.state.userGroups, g.ID)
	return reply(nil)
}
