package harbortest

import (
	"cmp"
	"crypto/rand"
	"fmt"
	"maps"
	"math/big"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

type robotJSON struct {
	CreationTime string            `json:"creation_time"`
	CreatorRef   int64             `json:"creator_ref"`
	CreatorType  string            `json:"creator_type"`
	Description  string            `json:"description,omitempty"`
	Disable      bool              `json:"disable"`
	Duration     int64             `json:"duration"`
	Editable     bool              `json:"editable"`
	ExpiresAt    int64             `json:"expires_at"`
	ID           int64             `json:"id"`
	Level        string            `json:"level"`
	Name         string            `json:"name"`
	Permissions  []RobotPermission `json:"permissions"`
	UpdateTime   string            `json:"update_time"`
}

type robotRequest struct {
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Secret      string            `json:"secret"`
	Level       string            `json:"level"`
	Duration    int64             `json:"duration"`
	Disable     bool              `json:"disable"`
	Permissions []RobotPermission `json:"permissions"`
}

func (s *Server) fullRobotName(rb *robot) string { return s.state.robotPrefix + rb.name }

func (s *Server) toRobotJSON(rb *robot) robotJSON {
	return robotJSON{
		CreationTime: harborTime(rb.created), CreatorRef: rb.creatorRef, CreatorType: rb.creatorType,
		Description: rb.description, Disable: rb.disabled, Duration: rb.duration, Editable: true,
		ExpiresAt: rb.expiresAt, ID: rb.id, Level: rb.level, Name: s.fullRobotName(rb),
		Permissions: rb.perms, UpdateTime: harborTime(rb.updated),
	}
}

func validateRobotName(name string) *apiError {
	if !projectNameRe.MatchString(name) {
		return errBadRequest("robot name is not in lower case or contains illegal characters")
	}
	return nil
}

// catalogue holds the permissions a robot of "system" or "project" scope may have.
var catalogue = mustJSON[map[string][]Access](permissionCatalog)

// validateRobot is Harbor's robotAPI.validate.
func validateRobot(req *robotRequest) *apiError {
	switch {
	case req.Duration < -1 || req.Duration == 0:
		return errBadRequest(fmt.Sprintf("bad request error duration input: %d, duration must be either -1(Never) or a positive integer", req.Duration))
	case req.Level != "system" && req.Level != "project":
		return errBadRequest("bad request error level input: " + req.Level)
	case len(req.Permissions) == 0:
		return errBadRequest("bad request empty permission")
	case slices.ContainsFunc(req.Permissions, func(p RobotPermission) bool { return len(p.Access) == 0 }):
		return errBadRequest("bad request empty access")
	case req.Level == "project" && len(req.Permissions) > 1:
		return errBadRequest("bad request permission")
	}
	for _, p := range req.Permissions {
		cat, ok := catalogue[p.Kind]
		if !ok {
			return errBadRequest("bad request permission level: " + p.Kind)
		}
		for _, a := range p.Access {
			if !slices.Contains(cat, Access{Action: a.Action, Resource: a.Resource}) {
				return errBadRequest(fmt.Sprintf("bad request permission: %s:%s", a.Resource, a.Action))
			}
		}
	}
	return nil
}

const (
	upperLetters   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lowerLetters   = "abcdefghijklmnopqrstuvwxyz"
	digits         = "0123456789"
	secretAlphabet = upperLetters + lowerLetters + digits
)

// validSecret is Harbor's rule for chosen robot secrets and user passwords.
func validSecret(s string) bool {
	return len(s) >= 8 && len(s) <= 128 && strings.ContainsAny(s, upperLetters) &&
		strings.ContainsAny(s, lowerLetters) && strings.ContainsAny(s, digits)
}

// generateSecret returns a 32-character secret that passes validSecret.
func generateSecret() string {
	for {
		b := make([]byte, 32)
		for i := range b {
			n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(secretAlphabet))))
			b[i] = secretAlphabet[n.Int64()]
		}
		if validSecret(string(b)) {
			return string(b)
		}
	}
}

func expiresAt(created time.Time, duration int64) int64 {
	if duration == -1 {
		return -1
	}
	return created.AddDate(0, 0, int(duration)).Unix()
}

// requireRobotAccess is Harbor's robotAPI.requireAccess. Callers hold s.mu.
func (s *Server) requireRobotAccess(id identity, level string, projectID int64, action string) *apiError {
	if level == "system" {
		return s.requireSystem(id, "robot", action)
	}
	p := s.state.projects[projectID]
	if p == nil {
		return errNotFound(fmt.Sprintf("project %d not found", projectID))
	}
	return s.requireProject(id, p, "robot", action)
}

func (s *Server) createRobot(r *request, req *robotRequest) (answer, *apiError) {
	if e := cmp.Or(validateRobotName(req.Name), validateRobot(req)); e != nil {
		return answer{}, e
	}
	var p *project
	if req.Level == "project" {
		if !r.id.authenticated() {
			return answer{}, errUnauthorized()
		}
		var e *apiError
		if p, e = s.robotProject(req); e == nil {
			e = s.requireProject(r.id, p, "robot", "create")
		}
		if e != nil {
			return answer{}, e
		}
	} else if e := s.requireSystem(r.id, "robot", "create"); e != nil {
		return answer{}, e
	}
	rb, e := s.state.addRobot(s.now(), req, p, r.id)
	if e != nil {
		return answer{}, e
	}
	s.state.addAuditExt(s.now(), r.id, s.state.robotPrefix, "create", "robot", s.fullRobotName(rb),
		"create robot: "+s.fullRobotName(rb), rb.projectID)
	r.header.Set("Location", apiPrefix+"/robots/"+strconv.FormatInt(rb.id, 10))
	return answer{http.StatusCreated, map[string]any{
		"creation_time": harborTime(rb.created), "expires_at": rb.expiresAt, "id": rb.id,
		"name": s.state.robotPrefix + rb.name, "secret": rb.secret,
	}}, nil
}

// addRobot stores a validated robot; as in Harbor's database, a name clash still uses an id.
func (st *state) addRobot(now time.Time, req *robotRequest, p *project, creator identity) (*robot, *apiError) {
	rb := &robot{
		id: newID(&st.nextRobotID), name: req.Name, description: req.Description, level: req.Level,
		duration: req.Duration, expiresAt: expiresAt(now, req.Duration), disabled: req.Disable,
		secret: generateSecret(), creatorType: "local", creatorRef: 1,
		created: now, updated: now, perms: req.Permissions,
	}
	if p != nil {
		rb.projectID, rb.name = p.id, p.name+"+"+req.Name
	}
	switch {
	case creator.user != nil:
		rb.creatorRef = creator.user.id
	case creator.robot != nil:
		rb.creatorType, rb.creatorRef = "robot", creator.robot.id
	}
	if len(rb.name) > 255 { // harbor_robot.name is varchar(255): a database error
		return nil, errInternal()
	}
	for _, other := range st.robots {
		if other.name == rb.name && other.projectID == rb.projectID {
			return nil, errConflict(fmt.Sprintf("robot account %d:%s already exists", rb.projectID, rb.name))
		}
	}
	st.robots[rb.id] = rb
	return rb, nil
}

// robotAccess resolves {robot_id} and checks the caller's robot:action.
func (s *Server) robotAccess(r *request, action string) (*robot, *apiError) {
	n, e := pathID(r, "robot_id")
	if e != nil {
		return nil, e
	}
	rb := s.state.robots[n]
	if rb == nil {
		return nil, errNotFound(fmt.Sprintf("robot %d not found", n))
	}
	return rb, s.requireRobotAccess(r.id, rb.level, rb.projectID, action)
}

func (s *Server) getRobot(r *request, rb *robot) (answer, *apiError) {
	return reply(s.toRobotJSON(rb))
}

// robotProject is the project a project robot's permissions name (validateRobot refused none).
func (s *Server) robotProject(req *robotRequest) (*project, *apiError) {
	ns := req.Permissions[0].Namespace
	if p := s.state.projectByName[ns]; p != nil {
		return p, nil
	}
	return nil, errNotFound("project " + ns + " not found")
}

func (s *Server) listRobots(r *request, pp pageParams, q *query) (answer, *apiError) {
	level, projectID := "system", int64(0)
	if t, ok := q.term("level"); ok {
		level = t.value
	}
	switch t, ok := q.term("project_id"); { // Harbor reads ProjectID for project robots only
	case level == "system":
	case level != "project":
		return answer{}, errBadRequest("bad request error level input")
	case !ok:
		return answer{}, errBadRequest("must with project ID when to query project robots")
	default:
		n, err := strconv.ParseInt(t.value, 10, 64)
		if err != nil || n <= 0 {
			return answer{}, errBadRequest("ProjectID must be a positive integer")
		}
		projectID = n
	}
	if e := s.requireRobotAccess(r.id, level, projectID, "list"); e != nil {
		return answer{}, e
	}
	all := slices.DeleteFunc(slices.Collect(maps.Values(s.state.robots)), func(rb *robot) bool {
		// q's name is without the prefix: q=name=robot$x finds nothing (a17)
		return rb.level != level || rb.projectID != projectID || !q.str("name", rb.name)
	})
	sort.Slice(all, func(i, j int) bool { return all[i].name < all[j].name })
	sortItems(all, q, map[string]func(a, b *robot) int{
		"name":          byString(func(rb *robot) string { return rb.name }),
		"id":            byInt(func(rb *robot) int64 { return rb.id }),
		"creation_time": byTime(func(rb *robot) time.Time { return rb.created }),
		"expires_at":    byInt(func(rb *robot) int64 { return rb.expiresAt }),
	})
	return pageOf(r, all, pp, s.toRobotJSON)
}

func (s *Server) updateRobot(r *request, req *robotRequest) (answer, *apiError) {
	rb, access := s.robotAccess(r, "update")
	if rb == nil {
		return answer{}, access // Harbor looks the robot up first, and checks access after the body (set4)
	}
	e := validateRobot(req)
	if e == nil && rb.level != "system" {
		if p, pe := s.robotProject(req); pe != nil {
			e = pe
		} else if p.id != rb.projectID {
			e = errBadRequest("cannot update the project id of robot") // set4
		}
	}
	if e = cmp.Or(e, access); e == nil && (req.Level != rb.level || req.Name != s.fullRobotName(rb)) {
		e = errBadRequest("cannot update the level or name of robot")
	}
	if e != nil {
		return answer{}, e
	}
	rb.duration, rb.expiresAt = req.Duration, expiresAt(rb.created, req.Duration)
	rb.description, rb.disabled, rb.perms, rb.updated = req.Description, req.Disable, req.Permissions, s.now()
	return reply(nil)
}

// secretReq is the body of a robot's or user's (CLI) secret update.
type secretReq = struct {
	Secret string `json:"secret"`
}

func (s *Server) refreshRobotSecret(r *request, rb *robot, req *secretReq) (answer, *apiError) {
	if req.Secret != "" && !validSecret(req.Secret) {
		return answer{}, errBadRequest("the secret must be 8-128, inclusively, characters long with at least 1 uppercase letter, 1 lowercase letter and 1 number")
	}
	out := map[string]string{}
	rb.secret, rb.updated = req.Secret, s.now()
	if req.Secret == "" {
		rb.secret = generateSecret()
		out["secret"] = rb.secret
	}
	return reply(out)
}

func (s *Server) deleteRobot(r *request, rb *robot) (answer, *apiError) {
	s.state.addAuditExt(s.now(), r.id, s.state.robotPrefix, "delete", "robot", s.fullRobotName(rb),
		"delete robot: "+s.fullRobotName(rb), rb.projectID)
	delete(s.state.robots, rb.id)
	return reply(nil)
}
