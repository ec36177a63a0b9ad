package harbortest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"
)

// retentionMetadatas is GET /retentions/metadatas of Harbor v2.15.2 (b262).
const retentionMetadatas = `{"scope_selectors":[{"decorations":["repoMatches","repoExcludes"],"display_text":"Repositories","kind":"doublestar"}],"tag_selectors":[{"decorations":["matches","excludes"],"display_text":"Tags","kind":"doublestar"}],"templates":[{"action":"retain","display_text":"the most recently pushed # artifacts","params":[{"required":true,"type":"int","unit":"COUNT"}],"rule_template":"latestPushedK"},{"action":"retain","display_text":"the most recently pulled # artifacts","params":[{"required":true,"type":"int","unit":"COUNT"}],"rule_template":"latestPulledN"},{"action":"retain","display_text":"pushed within the last # days","params":[{"required":true,"type":"int","unit":"DAYS"}],"rule_template":"nDaysSinceLastPush"},{"action":"retain","display_text":"pulled within the last # days","params":[{"required":true,"type":"int","unit":"DAYS"}],"rule_template":"nDaysSinceLastPull"},{"action":"retain","display_text":"always","params":[],"rule_template":"always"}]}`

type retentionPolicy struct {
	id        int64
	projectID int64
	algorithm string
	rules     []tagRuleJSON
	kind      string // trigger kind, "Schedule"
	cron      string
	// scheduleID and schedUpdated are the schedule a cron makes (GET
	// /schedules); 0 without a cron.
	scheduleID   int64
	schedUpdated time.Time
}

type retentionExecution struct {
	id       int64
	policyID int64
	dryRun   bool
	started  time.Time
	tasks    []retentionTask
}

type retentionTask struct {
	id         int64
	repository string
	total      int
	jobID      string
}

type retentionState struct {
	nextID     int64
	policies   map[int64]*retentionPolicy
	executions map[int64]*retentionExecution
}

func (st *state) retentionState() *retentionState {
	if st.retention == nil {
		st.retention = &retentionState{nextID: 1, policies: map[int64]*retentionPolicy{},
			executions: map[int64]*retentionExecution{}}
	}
	return st.retention
}

type retentionPolicyJSON struct {
	Algorithm string        `json:"algorithm,omitempty"`
	ID        int64         `json:"id"`
	Rules     []tagRuleJSON `json:"rules"`
	Scope     struct {
		Level string `json:"level"`
		Ref   int64  `json:"ref"`
	} `json:"scope"`
	Trigger struct {
		Kind     string            `json:"kind"`
		Settings map[string]string `json:"settings"`
	} `json:"trigger"`
}

func (s *Server) toRetentionJSON(p *retentionPolicy) retentionPolicyJSON {
	var out retentionPolicyJSON
	out.Algorithm, out.ID, out.Rules = p.algorithm, p.id, p.rules
	if out.Rules == nil {
		out.Rules = []tagRuleJSON{}
	}
	out.Scope.Level, out.Scope.Ref = "project", p.projectID
	out.Trigger.Kind = p.kind
	out.Trigger.Settings = map[string]string{"cron": p.cron}
	if c, err := parseCron(p.cron); err == nil {
		if t := c.next(s.now()); !t.IsZero() {
			out.Trigger.Settings["next_scheduled_time"] = harborTime(t)
		}
	}
	return out
}

type retentionRequest struct {
	Algorithm string        `json:"algorithm"`
	Rules     []tagRuleJSON `json:"rules"`
	Trigger   *struct {
		Kind     string `json:"kind"`
		Settings struct {
			Cron string `json:"cron"`
		} `json:"settings"`
	} `json:"trigger"`
	Scope *struct {
		Level string `json:"level"`
		Ref   int64  `json:"ref"`
	} `json:"scope"`
}

// apply copies a request into p; rules lose empty params, as Harbor stores them.
func (req *retentionRequest) apply(p *retentionPolicy) *apiError {
	p.algorithm, p.rules, p.kind, p.cron = req.Algorithm, req.Rules, "Schedule", ""
	for i := range p.rules {
		if len(p.rules[i].Params) == 0 {
			p.rules[i].Params = nil
		}
	}
	if req.Trigger != nil {
		if req.Trigger.Kind != "" {
			p.kind = req.Trigger.Kind
		}
		p.cron = req.Trigger.Settings.Cron
	}
	if p.cron != "" {
		if _, err := parseCron(p.cron); err != nil {
			return errBadRequest(fmt.Sprintf("bad request: invalid cron string for scheduled retention: %s, error: %v", p.cron, err))
		}
	}
	return nil
}

// scheduleRetention gives p a schedule when its cron changed from
// oldCron, as Harbor replaces a retention's schedule, and drops it when the
// cron is gone. Callers hold s.mu.
func (s *Server) scheduleRetention(p *retentionPolicy, oldCron string) {
	switch {
	case p.cron == "":
		p.scheduleID, p.schedUpdated = 0, time.Time{}
	case p.cron != oldCron || p.scheduleID == 0:
		p.scheduleID, p.schedUpdated = s.state.extra().newScheduleID(), s.now()
	}
}

func (s *Server) retentionRoutes() []route {
	return []route{
		{"getRentenitionMetadata", "GET", "/retentions/metadatas", s.getRetentionMetadatas},
		{"createRetention", "POST", "/retentions", s.createRetention},
		{"getRetention", "GET", "/retentions/{id}", s.getRetention},
		{"updateRetention", "PUT", "/retentions/{id}", s.updateRetention},
		{"deleteRetention", "DELETE", "/retentions/{id}", s.deleteRetention},
		{"triggerRetentionExecution", "POST", "/retentions/{id}/executions", s.triggerRetention},
		{"listRetentionExecutions", "GET", "/retentions/{id}/executions", s.listRetentionExecutions},
		{"operateRetentionExecution", "PATCH", "/retentions/{id}/executions/{eid}", s.operateRetentionExecution},
		{"listRetentionTasks", "GET", "/retentions/{id}/executions/{eid}/tasks", s.listRetentionTasks},
		{"getRetentionTaskLog", "GET", "/retentions/{id}/executions/{eid}/tasks/{tid}", s.getRetentionTaskLog},
	}
}

func (s *Server) getRetentionMetadatas(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	ok := s.authenticate(r).authenticated()
	s.mu.Unlock()
	if !ok {
		writeError(w, errUnauthorized())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(retentionMetadatas + "\n"))
}

// checkRules is Harbor's first check of a policy body: at most 15 rules,
// no rule twice.
func (req *retentionRequest) checkRules() *apiError {
	if len(req.Rules) > 15 {
		return errBadRequest("bad request: only 15 rules are allowed at most")
	}
	seen := map[string]int{}
	for n, rule := range req.Rules {
		rule.ID = 0
		b, _ := json.Marshal(rule)
		if old, ok := seen[string(b)]; ok {
			return &apiError{http.StatusConflict, codeConflict, fmt.Sprintf("conflict: rule %d is conflict with rule %d", n, old)}
		}
		seen[string(b)] = n
	}
	return nil
}

// requireRetentionScope checks access to the project a policy body names
// (Harbor checks it before it knows whether the project exists; a system
// administrator passes).
func (s *Server) requireRetentionScope(id identity, ref int64, action string) *apiError {
	if p := s.state.projects[ref]; p != nil {
		return s.requireProjectRes(id, p, "tag-retention", action)
	}
	if id.sysAdmin() {
		return nil
	}
	return errForbidden("forbidden")
}

func (s *Server) createRetention(w http.ResponseWriter, r *http.Request) {
	var req retentionRequest
	if e := decodeBody(r, &req, "policy"); e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.authenticate(r)
	if !id.authenticated() {
		writeError(w, errUnauthorized())
		return
	}
	if e := req.checkRules(); e != nil {
		writeError(w, e)
		return
	}
	level, ref := "", int64(0)
	if req.Scope != nil {
		level, ref = req.Scope.Level, req.Scope.Ref
	}
	if e := s.requireRetentionScope(id, ref, "create"); e != nil {
		writeError(w, e)
		return
	}
	if level != "project" {
		writeError(w, errBadRequest(fmt.Sprintf("bad request: scope %s is not support", level)))
		return
	}
	p := s.state.projects[ref]
	if p == nil {
		writeError(w, errBadRequest(fmt.Sprintf("bad request: invalid Project id %d", ref)))
		return
	}
	if old, ok := s.projectMetadata(p)["retention_id"]; ok {
		writeError(w, errBadRequest(fmt.Sprintf("bad request: project %d already has retention policy %s", p.id, old)))
		return
	}
	rs := s.state.retentionState()
	pol := &retentionPolicy{projectID: p.id}
	if e := req.apply(pol); e != nil {
		writeError(w, e)
		return
	}
	pol.id = rs.nextID
	rs.nextID++
	s.scheduleRetention(pol, "")
	rs.policies[pol.id] = pol
	s.setProjectMetadata(p, "retention_id", strconv.FormatInt(pol.id, 10))
	writeCreated(w, apiPrefix+"/retentions/"+strconv.FormatInt(pol.id, 10))
}

// retentionFromPath resolves {id} and checks access to its project;
// missing is the error Harbor gives for the operation at hand.
func (s *Server) retentionFromPath(r *http.Request, action string, missing func(int64) *apiError) (*retentionPolicy, *apiError) {
	pid, e := pathID(r, "id")
	if e != nil {
		return nil, e
	}
	id := s.authenticate(r)
	if !id.authenticated() {
		return nil, errUnauthorized()
	}
	pol := s.state.retentionState().policies[pid]
	if pol == nil {
		return nil, missing(pid)
	}
	p := s.state.projects[pol.projectID]
	if p == nil {
		return nil, missing(pid)
	}
	if e := s.requireProjectRes(id, p, "tag-retention", action); e != nil {
		return nil, e
	}
	return pol, nil
}

func noSuchRetention(id int64) *apiError {
	return errBadRequest(fmt.Sprintf("bad request: no such Retention policy with id %d", id))
}

// getRetention: a missing policy is Harbor's 500 (b270).
func (s *Server) getRetention(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pol, e := s.retentionFromPath(r, "read", func(int64) *apiError { return errInternal() })
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, s.toRetentionJSON(pol))
}

// updateRetention replaces a policy. Like Harbor it checks access to the
// project the body names, and that this project's retention_id is {id}.
func (s *Server) updateRetention(w http.ResponseWriter, r *http.Request) {
	var req retentionRequest
	if e := decodeBody(r, &req, "policy"); e != nil {
		writeError(w, e)
		return
	}
	pid, e := pathID(r, "id")
	if e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.authenticate(r)
	if !id.authenticated() {
		writeError(w, errUnauthorized())
		return
	}
	if e := req.checkRules(); e != nil {
		writeError(w, e)
		return
	}
	ref := int64(0)
	if req.Scope != nil {
		ref = req.Scope.Ref
	}
	if e := s.requireRetentionScope(id, ref, "update"); e != nil {
		writeError(w, e)
		return
	}
	pol := s.state.retentionState().policies[pid]
	p := s.state.projects[ref]
	if pol == nil || p == nil || s.projectMetadata(p)["retention_id"] != strconv.FormatInt(pid, 10) {
		writeError(w, errNotFound(fmt.Sprintf("resource not found: the retention policy id %d does not match", pid)))
		return
	}
	upd := *pol
	if e := req.apply(&upd); e != nil {
		writeError(w, e)
		return
	}
	s.scheduleRetention(&upd, pol.cron)
	*pol = upd
	writeOK(w)
}

func (s *Server) deleteRetention(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pol, e := s.retentionFromPath(r, "delete", noSuchRetention)
	if e != nil {
		writeError(w, e)
		return
	}
	rs := s.state.retentionState()
	delete(rs.policies, pol.id)
	for id, ex := range rs.executions {
		if ex.policyID == pol.id {
			delete(rs.executions, id)
		}
	}
	if p := s.state.projects[pol.projectID]; p != nil {
		s.setProjectMetadata(p, "retention_id", "")
	}
	writeOK(w)
}

// triggerRetention runs the policy: it finishes at once, with one task
// per repository of the project that retains every artifact.
func (s *Server) triggerRetention(w http.ResponseWriter, r *http.Request) {
	var req struct {
		DryRun bool `json:"dry_run"`
	}
	if e := decodeBody(r, &req, "body"); e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pol, e := s.retentionFromPath(r, "update", noSuchRetention) // Harbor checks update
	if e != nil {
		writeError(w, e)
		return
	}
	js := s.state.jobState()
	ex := &retentionExecution{id: js.nextExecutionID(), policyID: pol.id, dryRun: req.DryRun, started: s.now()}
	if p := s.state.projects[pol.projectID]; p != nil {
		for _, name := range p.repoNames {
			ex.tasks = append(ex.tasks, retentionTask{id: js.nextTaskID(), repository: name,
				total: len(p.repos[name].artifacts), jobID: randomHex(12)})
		}
	}
	s.state.retentionState().executions[ex.id] = ex
	s.hookRetentionLocked(pol, ex, s.authenticate(r).name(s.state.robotPrefix))
	writeCreated(w, apiPrefix+"/retentions/"+strconv.FormatInt(pol.id, 10)+"/executions/"+strconv.FormatInt(ex.id, 10))
}

type retentionExecutionJSON struct {
	DryRun    bool   `json:"dry_run"`
	EndTime   string `json:"end_time"`
	ID        int64  `json:"id"`
	PolicyID  int64  `json:"policy_id"`
	StartTime string `json:"start_time"`
	Status    string `json:"status"`
	Trigger   string `json:"trigger"`
}

func (s *Server) listRetentionExecutions(w http.ResponseWriter, r *http.Request) {
	pp, e := parsePage(r)
	if e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	pol, e := s.retentionFromPath(r, "list", noSuchRetention)
	if e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	var out []retentionExecutionJSON
	for _, ex := range s.state.retentionState().executions {
		if ex.policyID == pol.id {
			// retention times are RFC 3339 with Go's precision, not Harbor's usual milliseconds
			out = append(out, retentionExecutionJSON{DryRun: ex.dryRun,
				EndTime: ex.started.UTC().Format(time.RFC3339), ID: ex.id, PolicyID: pol.id,
				StartTime: ex.started.UTC().Format(time.RFC3339Nano), Status: "Success", Trigger: "MANUAL"})
		}
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	writeList(w, r, out, pp)
}

// retentionExecutionFromPath resolves {id} and {eid}.
func (s *Server) retentionExecutionFromPath(r *http.Request, action string) (*retentionExecution, *apiError) {
	pol, e := s.retentionFromPath(r, action, noSuchRetention)
	if e != nil {
		return nil, e
	}
	eid, e := pathID(r, "eid")
	if e != nil {
		return nil, e
	}
	ex := s.state.retentionState().executions[eid]
	if ex == nil || ex.policyID != pol.id {
		return nil, errNotFound(fmt.Sprintf("execution %d not found", eid))
	}
	return ex, nil
}

// operateRetentionExecution stops an execution; all have finished, so 200.
func (s *Server) operateRetentionExecution(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Action string `json:"action"`
	}
	if e := decodeBody(r, &req, "body"); e != nil {
		writeError(w, e)
		return
	}
	if req.Action != "stop" {
		writeError(w, errBadRequest("bad request: action should be 'stop'"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, e := s.retentionExecutionFromPath(r, "update"); e != nil {
		writeError(w, e)
		return
	}
	writeOK(w)
}

type retentionTaskJSON struct {
	EndTime     string `json:"end_time"`
	ExecutionID int64  `json:"execution_id"`
	ID          int64  `json:"id"`
	JobID       string `json:"job_id"`
	Repository  string `json:"repository"`
	Retained    int    `json:"retained"`
	StartTime   string `json:"start_time"`
	Status      string `json:"status"`
	StatusCode  int    `json:"status_code"`
	Total       int    `json:"total"`
}

func (s *Server) listRetentionTasks(w http.ResponseWriter, r *http.Request) {
	pp, e := parsePage(r)
	if e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	ex, e := s.retentionExecutionFromPath(r, "list")
	if e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	t := ex.started.UTC().Format(time.RFC3339)
	var out []retentionTaskJSON
	for _, task := range ex.tasks {
		out = append(out, retentionTaskJSON{EndTime: t, ExecutionID: ex.id, ID: task.id, JobID: task.jobID,
			Repository: task.repository, Retained: task.total, StartTime: t, Status: "Success", StatusCode: 3,
			Total: task.total})
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	writeList(w, r, out, pp)
}

func (s *Server) getRetentionTaskLog(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ex, e := s.retentionExecutionFromPath(r, "read")
	if e != nil {
		writeError(w, e)
		return
	}
	tid, e := pathID(r, "tid")
	if e != nil {
		writeError(w, e)
		return
	}
	for _, task := range ex.tasks {
		if task.id == tid {
			writeText(w, fmt.Sprintf("%s [INFO] Run retention process.\n Repository: %s \n Dry Run: %v\n",
				ex.started.UTC().Format(time.RFC3339), task.repository, ex.dryRun))
			return
		}
	}
	writeError(w, errNotFound(fmt.Sprintf("task %d not found", tid)))
}
