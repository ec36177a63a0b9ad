package harbortest

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The users API as Harbor v2.15.2 answers it (captures b001-b038, b523-b531).

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

var (
	usernameRe = regexp.MustCompile(`^[^,~#$%"':\s]{1,255}$`)
	// emailRe is Harbor's check (src/server/v2.0/handler/user.go).
	emailRe = regexp.MustCompile(`^(([^<>()\[\]\\.,;:\s@"]+(\.[^<>()\[\]\\.,;:\s@"]+)*)|(".+"))@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}])|(([a-zA-Z\-0-9]+\.)+[a-zA-Z]{2,}))$`)
)

const msgBadSecret = "the password or secret must be 8-128, inclusively, characters long with at least 1 uppercase letter, 1 lowercase letter and 1 number"

// illegalNameChars is Harbor's common.IllegalCharsInUsername.
const illegalNameChars = `,"~#%$`

// validateProfile is Harbor's validateUserProfile (src/server/v2.0/handler/user.go):
// a username (nil on update) is checked last.
func validateProfile(email, realname, comment string, username *string) *apiError {
	switch {
	case email == "":
		return errBadRequest("email can't be empty")
	case !emailRe.MatchString(email):
		return errBadRequest("email with illegal format")
	case realname == "" || len(realname) > 255:
		return errBadRequest("realname with illegal length")
	case strings.ContainsAny(realname, illegalNameChars):
		return errBadRequest("realname contains illegal characters")
	case len(comment) > 30:
		return errBadRequest("comment with illegal length")
	case username == nil:
		return nil
	case *username == "" || len(*username) > 255:
		return errBadRequest("username with illegal length")
	case strings.ContainsAny(*username, illegalNameChars):
		return errBadRequest("username contains illegal characters")
	}
	return nil
}

type createUserReq = struct {
	Username string `json:"username"`
	Email    string `json:"email"`
	Realname string `json:"realname"`
	Password string `json:"password"`
	Comment  string `json:"comment"`
}

func (s *Server) createUser(r *request, req *createUserReq) (answer, *apiError) {
	// swagger.yaml's maxLength, bound before the handler: go-swagger lists each (set4)
	var tooLong []string
	for _, f := range [][2]string{{"email", req.Email}, {"username", req.Username}} {
		if len(f[1]) > 255 {
			tooLong = append(tooLong, f[0]+" in body should be at most 255 chars long")
		}
	}
	if len(tooLong) > 0 {
		return answer{}, errModel(tooLong...)
	}
	if !validSecret(req.Password) {
		return answer{}, errBadRequest(msgBadSecret)
	}
	if e := validateProfile(req.Email, req.Realname, req.Comment, &req.Username); e != nil {
		return answer{}, e
	}
	if s.state.usersByName[req.Username] != nil || s.state.userByEmail(req.Email) != nil {
		return answer{}, errConflict(fmt.Sprintf("user %s or email %s already exists", req.Username, req.Email))
	}
	u := s.state.addUser(req.Username, req.Password, false, s.now())
	u.email, u.realname, u.comment = req.Email, req.Realname, req.Comment
	s.auditUser(r.id, "create", u.username, "create user with name: "+u.username)
	return r.created(apiPrefix + "/users/" + strconv.FormatInt(u.id, 10))
}

func (st *state) userByEmail(email string) *user {
	for _, u := range st.users {
		if u.email == email {
			return u
		}
	}
	return nil
}

// lookupUser resolves {user_id} for the user itself or a caller with system user:action.
func (s *Server) lookupUser(r *request, action, notFound string) (*user, *apiError) {
	if uid, e := pathID(r, "user_id"); e == nil && r.id.user != nil && r.id.user.id == uid {
		return r.id.user, nil
	}
	return systemItem(s, r, "user_id", "user", action, s.state.users, notFound)
}

func (s *Server) getUser(r *request) (answer, *apiError) {
	u, e := s.lookupUser(r, "read", "user %d not found")
	return replyWith(u, e, toUserJSON)
}

type userProfileReq = struct {
	Email    string `json:"email"`
	Realname string `json:"realname"`
	Comment  string `json:"comment"`
}

func (s *Server) updateUserProfile(r *request, req *userProfileReq) (answer, *apiError) {
	u, e := s.lookupUser(r, "update", "user with id %d not found")
	// Harbor validates after the access check, before it looks the user up (set4).
	v := validateProfile(req.Email, req.Realname, req.Comment, nil)
	if v != nil && (e == nil || e.status == http.StatusNotFound) {
		e = v
	}
	// a taken email hits the unique constraint of Harbor's database (b025)
	if o := s.state.userByEmail(req.Email); e == nil && o != nil && o != u {
		e = errInternal()
	}
	return s.updateUser(r, u, e, "", func() { u.email, u.realname, u.comment = req.Email, req.Realname, req.Comment })
}

type passwordReq = struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

func (s *Server) updateUserPassword(r *request, req *passwordReq) (answer, *apiError) {
	u, e := s.lookupUser(r, "update", "user %d not found")
	switch {
	case e != nil:
	case !validSecret(req.NewPassword):
		e = errBadRequest(msgBadSecret)
	case r.id.user == u && u.password != req.OldPassword:
		e = errForbidden("Current password is incorrect")
	case u.password == req.NewPassword:
		e = errBadRequest("New password is identical to old password")
	}
	return s.updateUser(r, u, e, ", change user password", func() { u.password = req.NewPassword })
}

type sysAdminReq = struct {
	SysadminFlag bool `json:"sysadmin_flag"`
}

func (s *Server) setUserSysAdmin(r *request, req *sysAdminReq) (answer, *apiError) {
	u, e := systemItem(s, r, "user_id", "user", "update", s.state.users, "user with id %d not found")
	return s.updateUser(r, u, e, ", add/remove user as system administrator", func() { u.admin = req.SysadminFlag })
}

// setCliSecret answers as Harbor in DB auth mode, whoever asks: only OIDC users have a CLI secret (b037).
func (s *Server) setCliSecret(r *request, _ *secretReq) (answer, *apiError) {
	return answer{}, errPrecondition("unable to update CLI secret under authmode: db_auth") // before access (set4)
}

// deleteUser removes a user and its memberships; Harbor renames the row
// ("name#id"), so the name and email can be registered again (b530).
func (s *Server) deleteUser(r *request) (answer, *apiError) {
	u, e := systemItem(s, r, "user_id", "user", "delete", s.state.users, "user %d not found")
	if e == nil && (u.id == 1 || r.id.user == u) { // the admin, who always exists, or oneself (set4)
		e = errForbidden(fmt.Sprintf("User with ID %d cannot be deleted", u.id))
	}
	if e != nil {
		return answer{}, e
	}
	s.auditUser(r.id, "delete", u.username, "delete user with name: "+u.username)
	delete(s.state.users, u.id)
	delete(s.state.usersByName, u.username)
	for _, p := range s.state.projects {
		delete(p.members, u.id)
	}
	maps.DeleteFunc(s.sessions, func(_ string, ss *uiSession) bool { return ss.uid == u.id })
	return reply(nil)
}

// searchUsers answers any signed-in user the ids and names of users fuzzily matching username.
func (s *Server) searchUsers(r *request, pp pageParams) (answer, *apiError) {
	if r.URL.Query().Get("username") == "" {
		return answer{}, errUnprocessable("username in query is required")
	}
	if !r.id.authenticated() {
		return answer{}, errUnauthorized()
	}
	type hit struct {
		UserID   int64  `json:"user_id"`
		Username string `json:"username"`
	}
	name := r.URL.Query().Get("username")
	var hits []hit
	for _, id := range slices.Sorted(maps.Keys(s.state.users)) {
		if u := s.state.users[id]; strings.Contains(u.username, name) {
			hits = append(hits, hit{u.id, u.username})
		}
	}
	if pp.pageSize == 0 { // Harbor answers page_size=0 with [] here (b466)
		setPagination(r.header, r, len(hits), pp)
		return reply([]hit{})
	}
	return page(r, hits, pp)
}

// auditUser records a user event in /auditlog-exts. Callers hold s.mu.
func (s *Server) auditUser(id identity, operation, username, description string) {
	s.state.addAuditExt(s.now(), id, s.state.robotPrefix, operation, "user", username, description, 0)
}

// updateUser applies an update of u unless e refused it. Like Harbor it audits a
// signed-in caller's attempt, refused or not, but not a user_id go-swagger refuses,
// by the user's name or else the path's id ("update user with name: 999999").
func (s *Server) updateUser(r *request, u *user, e *apiError, suffix string, apply func()) (answer, *apiError) {
	name := pathParam(r, "user_id")
	if n, err := strconv.ParseInt(name, 10, 64); r.id.authenticated() && err == nil {
		if o := s.state.users[n]; o != nil {
			name = o.username
		}
		s.auditUser(r.id, "update", name, "update user with name: "+name+suffix)
		s.state.auditExts[len(s.state.auditExts)-1].result = e == nil
	}
	if e == nil {
		apply()
		u.updated = s.now()
	}
	return replyOr[any](nil, e)
}
