package harbortest

import (
	"slices"
	"time"
)

type user struct {
	id                                           int64
	username, password, email, realname, comment string
	admin                                        bool
	created, updated                             time.Time
}

type project struct {
	id, ownerID, allowlistID, storageLimit int64
	name                                   string
	public                                 bool
	registryID                             int64 // the registry a proxy-cache project caches, or 0
	created, updated                       time.Time
	members                                map[int64]int     // user id -> role
	metadata                               map[string]string // but "public", as strings like Harbor's
	noPublic                               bool              // its "public" key was deleted: Harbor shows none (b111)
	cveAllowlist                           []cveItemJSON
	cveExpiresAt                           *int64
	repos                                  map[string]*repository
	repoNames                              []string // sorted
}

type repository struct {
	id, projectID    int64
	name             string // full name "project/repo"
	created, updated time.Time
	artifacts        []*artifact
	description      string
	pullCount        int64
}

type artifact struct {
	id       int64
	digest   string
	pushTime time.Time
	artifactDetail
}

type robot struct {
	id, projectID, duration, expiresAt, creatorRef int64
	name                                           string // as stored by Harbor: "name" or "project+name"
	description, level, secret                     string
	creatorType                                    string
	disabled                                       bool
	created, updated                               time.Time
	perms                                          []RobotPermission // as the request gave them
}

// auditLogExt is one entry of /auditlog-exts (Harbor v2.15's audit log).
type auditLogExt struct {
	auditLog           // operation: create, update, delete, pull
	description string // "create project: capbool"
	result      bool
	projectID   int64 // 0 for system events
}

type auditLog struct {
	id                                          int64
	operation, resource, resourceType, username string
	opTime                                      time.Time
}

// state is the whole data set of a server; it is guarded by Server.mu.
type state struct {
	users         map[int64]*user
	usersByName   map[string]*user
	projects      map[int64]*project
	projectByName map[string]*project
	projectNames  []string // sorted by name
	namesDirty    bool
	robots        map[int64]*robot
	auditLogs     []*auditLog
	sec           securityState
	auditExts     []*auditLogExt
	userGroups    map[int64]*UserGroup
	more          *moreState     // st.extra()
	robotPrefix   string         // robot_name_prefix
	config        map[string]any // the values PUT /configurations changed

	quotaUpdated    map[int64]time.Time // when PUT /quotas/{id} last changed a quota
	systemAllowlist *cveAllowlistJSON   // nil until the first PUT

	nextUserID, nextProjectID, nextAllowlist, nextRobotID, nextRepoID, nextArtID, nextAuditExt, nextGroupID int64

	// the state of members.go, metadata.go, labels.go, ... (each in its file)
	members     *memberState
	labels      *labelState
	registries  *registryState
	replication *replicationState
	retention   *retentionState
	immutable   *immutableState
	webhooks    *webhookState
	scanners    *scannerState
	jobs        *jobState
}

func newState(now time.Time, adminPassword, robotPrefix string) *state {
	st := &state{userGroups: map[int64]*UserGroup{}, robotPrefix: robotPrefix, config: map[string]any{},
		users: map[int64]*user{}, usersByName: map[string]*user{}, projects: map[int64]*project{},
		projectByName: map[string]*project{}, robots: map[int64]*robot{}, quotaUpdated: map[int64]time.Time{},
		nextUserID:   3, // 1 is admin, 2 is Harbor's (deleted) anonymous user
		nextAuditExt: 1, nextGroupID: 1, nextProjectID: 1, nextAllowlist: 1, nextRobotID: 1, nextRepoID: 1, nextArtID: 1,
		sec: securityState{nextTagID: 1, nextAccessoryID: 1, planned: map[int64]plannedScan{}}}
	admin := &user{id: 1, username: "admin", password: adminPassword, admin: true,
		realname: "system admin", comment: "admin user", created: now, updated: now}
	st.users[1] = admin
	st.usersByName["admin"] = admin
	st.addProject("library", true, 1, -1, now)
	return st
}

func (st *state) addProject(name string, public bool, owner int64, storageLimit int64, now time.Time) *project {
	p := &project{id: newID(&st.nextProjectID), name: name, public: public, ownerID: owner,
		allowlistID: newID(&st.nextAllowlist), storageLimit: storageLimit, created: now, updated: now,
		members: map[int64]int{owner: RoleProjectAdmin}, metadata: map[string]string{}, repos: map[string]*repository{}}
	st.projects[p.id] = p
	st.projectByName[name] = p
	st.projectNames = append(st.projectNames, name)
	st.namesDirty = true
	return p
}

func (st *state) deleteProject(p *project) {
	delete(st.projects, p.id)
	delete(st.projectByName, p.name)
	if i, ok := slices.BinarySearch(st.sortedProjectNames(), p.name); ok {
		st.projectNames = slices.Delete(st.projectNames, i, i+1)
	}
}

// sortedProjectNames returns all project names in Harbor's list order (name).
func (st *state) sortedProjectNames() []string {
	if st.namesDirty {
		slices.Sort(st.projectNames)
		st.namesDirty = false
	}
	return st.projectNames
}

func (st *state) addAuditExt(now time.Time, who identity, prefix, operation, resourceType, resource, description string, projectID int64) {
	st.auditExts = append(st.auditExts, &auditLogExt{auditLog: auditLog{id: newID(&st.nextAuditExt), operation: operation,
		resource: resource, resourceType: resourceType, username: who.name(prefix), opTime: now},
		description: description, result: true, projectID: projectID})
}

// moreState holds the state of P2P preheat, the job service, scan all and CVE
// export; they share nextExecID as Harbor's one execution table. Guarded by Server.mu.
type moreState struct {
	instances      []*preheatInstance // in Harbor's (physical) row order
	nextInstanceID int64
	policies       map[int64]*preheatPolicy
	nextPolicyID   int64
	preheatExecs   executions
	nextTaskID     int64
	nextExecID     int64
	pausedQueues   map[string]bool
	pool           *workerPool
	nextScheduleID int64 // Harbor's schedule table: scan all, preheat, GC, purge and retention share it
	scanAll        scanAllState
	exports        map[int64]*cveExport
	exportSize     int64  // SetCVEExportSize; 0 = the header only
	secret         string // InternalSecret
}

func (st *state) extra() *moreState {
	return lazy(&st.more, func() *moreState {
		return &moreState{
			nextInstanceID: 1,
			policies:       map[int64]*preheatPolicy{},
			nextPolicyID:   1,
			preheatExecs:   executions{},
			nextTaskID:     1,
			nextExecID:     1,
			pausedQueues:   map[string]bool{},
			nextScheduleID: 1,
			exports:        map[int64]*cveExport{},
			secret:         randomHex(16),
		}
	})
}
