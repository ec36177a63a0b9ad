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

func (s *Server) getRetentionMetadatas(r *request) (answer, *apiError) {
	ok := r.id.authenticated()
	if !ok {
		return answer{}, errUnauthorized()
	}
	return reply(verbatim(retentionMetadatas + "\n"))
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
		return s.requireProject(id, p, "tag-retention", action)
	}
	if id.sysAdmin() {
		return nil
	}
	return errForbidden("forbidden")
}

func (s *Server) createRetention(r *request) (answer, *apiError) {
	var req retentionRequest
	if e := decodeBody(r, &req, "policy"); e != nil {
		return answer{}, e
	}
	if !r.id.authenticated() {
		return answer{}, errUnauthorized()
	}
	if e := req.checkRules(); e != nil {
		return answer{}, e
	}
	level, ref := "", int64(0)
	if req.Scope != nil {
		level, ref = req.Scope.Level, req.Scope.Ref
	}
	if e := s.requireRetentionScope(r.id, ref, "create"); e != nil {
		return answer{}, e
	}
	if level != "project" {
		return answer{}, errBadRequest(fmt.Sprintf("bad request: scope %s is not support", level))
	}
	p := s.state.projects[ref]
	if p == nil {
		return answer{}, errBadRequest(fmt.Sprintf("bad request: invalid Project id %d", ref))
	}
	if old, ok := s.projectMetadata(p)["retention_id"]; ok {
		return answer{}, errBadRequest(fmt.Sprintf("bad request: project %d already has retention policy %s", p.id, old))
	}
	pol, e := s.addRetention(p, &req)
	if e != nil {
		return answer{}, e
	}
	return r.created(apiPrefix + "/retentions/" + strconv.FormatInt(pol.id, 10))
}

// addRetention stores the retention policy req for project p.
func (s *Server) addRetention(p *project, req *retentionRequest) (*retentionPolicy, *apiError) {
	rs := s.state.retentionState()
	pol := &retentionPolicy{projectID: p.id}
	if e := req.apply(pol); e != nil {
		return nil, e
	}
	pol.id = rs.nextID
	rs.nextID++
	s.scheduleRetention(pol, "")
	rs.policies[pol.id] = pol
	s.setProjectMetadata(p, "retention_id", strconv.FormatInt(pol.id, 10))
	return pol, nil
}

// proxyCacheRetention is the policy Harbor gives a new proxy-cache project
// (policy.WithNDaysSinceLastPull(id, 7)): keep what was pulled in 7 days.
const proxyCacheRetention = `{"algorithm":"or","rules":[{"id":1,"priority":1,"action":"retain",` +
	`"template":"nDaysSinceLastPull","params":{"nDaysSinceLastPull":7},` +
	`"tag_selectors":[{"kind":"doublestar","decoration":"matches","pattern":"**"}],` +
	`"scope_selectors":{"repository":[{"kind":"doublestar","decoration":"repoMatches","pattern":"**"}]}}],` +
	`"trigger":{"kind":"Schedule","settings":{"cron":"0 0 0 * * *"}}}`

// addProxyCacheRetention gives proxy-cache project p its default retention.
func (s *Server) addProxyCacheRetention(p *project) {
	var req retentionRequest
	if err := json.Unmarshal([]byte(proxyCacheRetention), &req); err != nil {
		panic(err)
	}
	_, _ = s.addRetention(p, &req)
}

// retentionFromPath resolves {id} and checks access to its project;
// missing is the error Harbor gives for the operation at hand.
func (s *Server) retentionFromPath(r *request, action string, missing func(int64) *apiError) (*retentionPolicy, *apiError) {
	pid, e := pathID(r, "id")
	if e != nil {
		return nil, e
	}
	if !r.id.authenticated() {
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
	if e := s.requireProject(r.id, p, "tag-retention", action); e != nil {
		return nil, e
	}
	return pol, nil
}

func noSuchRetention(id int64) *apiError {
	return errBadRequest(fmt.Sprintf("bad request: no such Retention policy with id %d", id))
}

// getRetention: a missing policy is Harbor's 500 (b270).
func (s *Server) getRetention(r *request) (answer, *apiError) {
	pol, e := s.retentionFromPath(r, "read", func(int64) *apiError { return errInternal() })
	if e != nil {
		return answer{}, e
	}
	return reply(s.toRetentionJSON(pol))
}

// updateRetention replaces a policy. Like Harbor it checks access to the
// project the body names, and that this project's retention_id is {id}.
func (s *Server) updateRetention(r *request) (answer, *apiError) {
	var req retentionRequest
	if e := decodeBody(r, &req, "policy"); e != nil {
		return answer{}, e
	}
	pid, e := pathID(r, "id")
	if e != nil {
		return answer{}, e
	}
	if !r.id.authenticated() {
		return answer{}, errUnauthorized()
	}
	if e := req.checkRules(); e != nil {
		return answer{}, e
	}
	ref := int64(0)
	if req.Scope != nil {
		ref = req.Scope.Ref
	}
	if e := s.requireRetentionScope(r.id, ref, "update"); e != nil {
		return answer{}, e
	}
	pol := s.state.retentionState().policies[pid]
	p := s.state.projects[ref]
	if pol == nil || p == nil || s.projectMetadata(p)["retention_id"] != strconv.FormatInt(pid, 10) {
		return answer{}, errNotFound(fmt.Sprintf("resource not found: the retention policy id %d does not match", pid))
	}
	upd := *pol
	if e := req.apply(&upd); e != nil {
		return answer{}, e
	}
	s.scheduleRetention(&upd, pol.cron)
	*pol = upd
	return reply(nil)
}

func (s *Server) deleteRetention(r *request) (answer, *apiError) {
	pol, e := s.retentionFromPath(r, "delete", noSuchRetention)
	if e != nil {
		return answer{}, e
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
	return reply(nil)
}

// triggerRetention runs the policy: it finishes at once, with one task
// per repository of the project that retains every artifact.
func (s *Server) triggerRetention(r *request) (answer, *apiError) {
	var req struct {
		DryRun bool `json:"dry_run"`
	}
	if e := decodeBody(r, &req, "body"); e != nil {
		return answer{}, e
	}
	pol, e := s.retentionFromPath(r, "update", noSuchRetention) // Harbor checks update
	if e != nil {
		return answer{}, e
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
	s.fireRetention(r, pol, ex)
	return r.created(apiPrefix + "/retentions/" + strconv.FormatInt(pol.id, 10) + "/executions/" + strconv.FormatInt(ex.id, 10))
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

func (s *Server) listRetentionExecutions(r *request) (answer, *apiError) {
	pp, e := parsePage(r)
	if e != nil {
		return answer{}, e
	}
	pol, e := s.retentionFromPath(r, "list", noSuchRetention)
	if e != nil {
		return answer{}, e
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
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return page(r, out, pp)
}

// retentionExecutionFromPath resolves {id} and {eid}.
func (s *Server) retentionExecutionFromPath(r *request, action string) (*retentionExecution, *apiError) {
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
func (s *Server) operateRetentionExecution(r *request) (answer, *apiError) {
	var req struct {
		Action string `json:"action"`
	}
	if e := decodeBody(r, &req, "body"); e != nil {
		return answer{}, e
	}
	if req.Action != "stop" {
		return answer{}, errBadRequest("bad request: action should be 'stop'")
	}
	if _, e := s.retentionExecutionFromPath(r, "update"); e != nil {
		return answer{}, e
	}
	return reply(nil)
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

func (s *Server) listRetentionTasks(r *request) (answer, *apiError) {
	pp, e := parsePage(r)
	if e != nil {
		return answer{}, e
	}
	ex, e := s.retentionExecutionFromPath(r, "list")
	if e != nil {
		return answer{}, e
	}
	t := ex.started.UTC().Format(time.RFC3339)
	var out []retentionTaskJSON
	for _, task := range ex.tasks {
		out = append(out, retentionTaskJSON{EndTime: t, ExecutionID: ex.id, ID: task.id, JobID: task.jobID,
			Repository: task.repository, Retained: task.total, StartTime: t, Status: "Success", StatusCode: 3,
			Total: task.total})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return page(r, out, pp)
}

func (s *Server) getRetentionTaskLog(r *request) (answer, *apiError) {
	ex, e := s.retentionExecutionFromPath(r, "read")
	if e != nil {
		return answer{}, e
	}
	tid, e := pathID(r, "tid")
	if e != nil {
		return answer{}, e
	}
	for _, task := range ex.tasks {
		if task.id == tid {
			return reply(textBody(fmt.Sprintf("%s [INFO] Run retention process.\n Repository: %s \n Dry Run: %v\n",
				ex.started.UTC().Format(time.RFC3339), task.repository, ex.dryRun)))
		}
	}
	return answer{}, errNotFound(fmt.Sprintf("task %d not found", tid))
}
