package harbortest

import (
	"sort"
	"time"
)

// Project roles, as Harbor numbers them.
const (
	roleProjectAdmin = 1
	roleDeveloper    = 2
	roleGuest        = 3
	roleMaintainer   = 4
)

type user struct {
	id       int64
	username string
	password string
	email    string
	realname string
	comment  string
	admin    bool
	created  time.Time
	updated  time.Time
}

type project struct {
	id           int64
	name         string
	public       bool
	ownerID      int64
	allowlistID  int64
	storageLimit int64
	created      time.Time
	updated      time.Time
	members      map[int64]int // user id -> role
	repos        map[string]*repository
	repoNames    []string // sorted
}

type repository struct {
	id        int64
	projectID int64
	name      string // full name "project/repo"
	created   time.Time
	updated   time.Time
	artifacts []*artifact
	repoDetail
}

type artifact struct {
	id       int64
	digest   string
	pushTime time.Time
	artifactDetail
}

type access struct {
	Resource string
	Action   string
}

type robotPermission struct {
	Kind      string
	Namespace string
	Access    []access
}

type robot struct {
	id          int64
	name        string // name as stored by Harbor: "name" or "project+name"
	description string
	level       string
	projectID   int64
	projectName string
	duration    int64
	expiresAt   int64
	disabled    bool
	secret      string
	creatorRef  int64
	creatorType string
	created     time.Time
	updated     time.Time
	perms       []robotPermission
}

type auditLog struct {
	id           int64
	operation    string
	resource     string
	resourceType string
	username     string
	opTime       time.Time
}

// state is the whole data set of a server; it is guarded by Server.mu.
type state struct {
	users         map[int64]*user
	usersByName   map[string]*user
	nextUserID    int64
	projects      map[int64]*project
	projectByName map[string]*project
	projectNames  []string // sorted by name
	namesDirty    bool
	nextProjectID int64
	nextAllowlist int64
	robots        map[int64]*robot
	nextRobotID   int64
	nextRepoID    int64
	nextArtID     int64
	auditLogs     []*auditLog
	sec           securityState
}

func newState(now time.Time, adminPassword string) *state {
	st := &state{
		users:         map[int64]*user{},
		usersByName:   map[string]*user{},
		nextUserID:    3, // 1 is admin, 2 is Harbor's (deleted) anonymous user
		projects:      map[int64]*project{},
		projectByName: map[string]*project{},
		nextProjectID: 1,
		nextAllowlist: 1,
		robots:        map[int64]*robot{},
		nextRobotID:   1,
		nextRepoID:    1,
		nextArtID:     1,
	}
	admin := &user{id: 1, username: "admin", password: adminPassword, admin: true,
		realname: "system admin", comment: "admin user", created: now, updated: now}
	st.users[1] = admin
	st.usersByName["admin"] = admin
	st.addProject("library", true, 1, -1, now)
	return st
}

func (st *state) addProject(name string, public bool, owner int64, storageLimit int64, now time.Time) *project {
	p := &project{
		id: st.nextProjectID, name: name, public: public, ownerID: owner,
		allowlistID: st.nextAllowlist, storageLimit: storageLimit,
		created: now, updated: now,
		members: map[int64]int{owner: roleProjectAdmin},
		repos:   map[string]*repository{},
	}
	st.nextProjectID++
	st.nextAllowlist++
	st.projects[p.id] = p
	st.projectByName[name] = p
	st.projectNames = append(st.projectNames, name)
	st.namesDirty = true
	return p
}

func (st *state) deleteProject(p *project) {
	delete(st.projects, p.id)
	delete(st.projectByName, p.name)
	st.sortedProjectNames()
	i := sort.SearchStrings(st.projectNames, p.name)
	if i < len(st.projectNames) && st.projectNames[i] == p.name {
		st.projectNames = append(st.projectNames[:i], st.projectNames[i+1:]...)
	}
}

// sortedProjectNames returns all project names in Harbor's list order (name).
func (st *state) sortedProjectNames() []string {
	if st.namesDirty {
		sort.Strings(st.projectNames)
		st.namesDirty = false
	}
	return st.projectNames
}
