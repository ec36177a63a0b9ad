package harbortest

import (
	"maps"
	"slices"
	"sort"
	"time"
)

type userJSON struct {
	AdminRoleInAuth bool   `json:"admin_role_in_auth"`
	Comment         string `json:"comment,omitempty"`
	CreationTime    string `json:"creation_time"`
	Email           string `json:"email,omitempty"`
	Realname        string `json:"realname,omitempty"`
	SysadminFlag    bool   `json:"sysadmin_flag"`
	UpdateTime      string `json:"update_time"`
	UserID          int64  `json:"user_id"`
	Username        string `json:"username"`
}

func toUserJSON(u *user) userJSON {
	return userJSON{Comment: u.comment, CreationTime: harborTime(u.created), Email: u.email,
		Realname: u.realname, SysadminFlag: u.admin, UpdateTime: harborTime(u.updated),
		UserID: u.id, Username: u.username}
}

func (s *Server) currentUser(r *request) (answer, *apiError) {
	switch {
	case r.id.robot != nil:
		return answer{}, errPrecondition("get current user not available for security context: robot")
	case r.id.user == nil:
		return answer{}, errUnauthorized()
	default:
		return reply(toUserJSON(r.id.user))
	}
}

// currentUserPermissions answers [] as Harbor v2.15.2 did to every recorded caller (admin, robots).
func (s *Server) currentUserPermissions(r *request) (answer, *apiError) {
	return reply([]any{})
}

// listUsers lists users other than admin (Harbor never lists the admin).
func (s *Server) listUsers(r *request, pp pageParams, q *query) (answer, *apiError) {
	if e := s.requireSystem(r.id, "user", "list"); e != nil {
		return answer{}, e
	}
	us := slices.DeleteFunc(slices.Collect(maps.Values(s.state.users)), func(u *user) bool {
		return u.id == 1 || !q.str("username", u.username) || !q.str("email", u.email) || !q.num("user_id", u.id)
	})
	sort.Slice(us, func(i, j int) bool { return us[i].id < us[j].id })
	sortItems(us, q, map[string]func(a, b *user) int{
		"username":      byString(func(u *user) string { return u.username }),
		"email":         byString(func(u *user) string { return u.email }),
		"user_id":       byInt(func(u *user) int64 { return u.id }),
		"creation_time": byTime(func(u *user) time.Time { return u.created }),
	})
	return pageOf(r, us, pp, toUserJSON)
}

func (st *state) addUser(name, password string, admin bool, now time.Time) *user {
	u := &user{id: newID(&st.nextUserID), username: name, password: password, admin: admin, created: now, updated: now}
	st.users[u.id] = u
	st.usersByName[name] = u
	return u
}
