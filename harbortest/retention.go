package harbortest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
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
	sched     *schedule // the schedule a cron makes (GET /schedules)
}

// retentionExecution is the name webhook_fire.go knows a run by.
type retentionExecution = execution

type retentionState = policyState[retentionPolicy]

func (st *state) retentionState() *retentionState { return ensure(&st.retention) }

func (s *Server) toRetentionJSON(p *retentionPolicy) map[string]any {
	settings := map[string]string{"cron": p.cron}
	if t := nextRun(p.cron, s.now()); t != "" {
		settings["next_scheduled_time"] = t
	}
	out := map[string]any{"id": p.id, "rules": append([]tagRuleJSON{}, p.rules...),
		"scope":   map[string]any{"level": "project", "ref": p.projectID},
		"trigger": map[string]any{"kind": p.kind, "settings": settings}}
	if p.algorithm != "" {
		out["algorithm"] = p.algorithm
	}
	return out
}

type retentionRequest struct {
	Algorithm string        `json:"algorithm"`
	Rules     []tagRuleJSON `json:"rules"`
	Trigger   struct {
		Kind     string `json:"kind"`
		Settings struct {
			Cron string `json:"cron"`
		} `json:"settings"`
	} `json:"trigger"`
	Scope struct {
		Level string `json:"level"`
		Ref   int64  `json:"ref"`
	} `json:"scope"`
}

// applyRetention copies req into p (rules lose empty params, as Harbor
// stores them) and, as Harbor replaces a retention's schedule, gives p a
// new one when its cron changed, none without a cron. Callers hold s.mu.
func (s *Server) applyRetention(req *retentionRequest, p *retentionPolicy) *apiError {
	oldCron := p.cron
	p.algorithm, p.rules, p.kind, p.cron = req.Algorithm, req.Rules, cmp.Or(req.Trigger.Kind, "Schedule"), req.Trigger.Settings.Cron
	for i := range p.rules {
		if len(p.rules[i].Params) == 0 {
			p.rules[i].Params = nil
		}
	}
	if _, err := parseCron(p.cron); p.cron != "" && err != nil {
		return errBadRequest(fmt.Sprintf("bad request: invalid cron string for scheduled retention: %s, error: %v", p.cron, err))
	}
	switch {
	case p.cron == "":
		p.sched = nil
	case p.cron != oldCron || p.sched == nil:
		p.sched = s.state.extra().newSchedule("RETENTION", p.id, "", p.cron, s.now())
	}
	return nil
}

func (s *Server) getRetentionMetadatas(r *request) (answer, *apiError) {
	if !r.id.authenticated() {
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

// retentionBody reads a policy body and makes Harbor's first checks in its
// order: the body, {id} (update), the caller, the rules, access to the
// project the body names (before Harbor knows whether it exists; a system
// administrator passes).
func (s *Server) retentionBody(r *request, action string) (req *retentionRequest, pid int64, e *apiError) {
	req = &retentionRequest{}
	if e = decodeBody(r, req, "policy"); e == nil && action == "update" {
		pid, e = pathID(r, "id")
	}
	switch p := s.state.projects[req.Scope.Ref]; {
	case e != nil:
	case !r.id.authenticated():
		e = errUnauthorized()
	case req.checkRules() != nil:
		e = req.checkRules()
	case p != nil:
		e = s.requireProject(r.id, p, "tag-retention", action)
	case !r.id.sysAdmin():
		e = errForbidden("forbidden")
	}
	return req, pid, e
}

func (s *Server) createRetention(r *request) (answer, *apiError) {
	req, _, e := s.retentionBody(r, "create")
	if e != nil {
		return answer{}, e
	}
	level, ref := req.Scope.Level, req.Scope.Ref
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
	pol, e := s.addRetention(p, req)
	if e != nil {
		return answer{}, e
	}
	return r.created(apiPrefix + "/retentions/" + strconv.FormatInt(pol.id, 10))
}

// addRetention stores the retention policy req for project p.
func (s *Server) addRetention(p *project, req *retentionRequest) (*retentionPolicy, *apiError) {
	rs := s.state.retentionState()
	pol := &retentionPolicy{id: rs.nextID, projectID: p.id}
	if e := s.applyRetention(req, pol); e != nil {
		return nil, e
	}
	rs.nextID++
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
	req, pid, e := s.retentionBody(r, "update")
	if e != nil {
		return answer{}, e
	}
	pol := s.state.retentionState().policies[pid]
	p := s.state.projects[req.Scope.Ref]
	if pol == nil || p == nil || s.projectMetadata(p)["retention_id"] != strconv.FormatInt(pid, 10) {
		return answer{}, errNotFound(fmt.Sprintf("resource not found: the retention policy id %d does not match", pid))
	}
	upd := *pol
	if e := s.applyRetention(req, &upd); e != nil {
		return answer{}, e
	}
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
	rs.executions.dropPolicy(pol.id)
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
	ex := &execution{id: js.nextExecutionID(), policyID: pol.id, dryRun: req.DryRun, started: s.now()}
	if p := s.state.projects[pol.projectID]; p != nil {
		for _, name := range p.repoNames {
			ex.tasks = append(ex.tasks, &task{id: js.nextTaskID(), src: name, total: len(p.repos[name].artifacts),
				jobID: randomHex(12)})
		}
	}
	s.state.retentionState().executions[ex.id] = ex
	s.fireRetention(r, pol, ex)
	return r.created(apiPrefix + "/retentions/" + strconv.FormatInt(pol.id, 10) + "/executions/" + strconv.FormatInt(ex.id, 10))
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
	var out []map[string]any
	for _, ex := range s.state.retentionState().executions.of(pol.id) {
		// retention times are RFC 3339 with Go's precision, not Harbor's usual milliseconds
		out = append(out, map[string]any{"dry_run": ex.dryRun, "end_time": rfc3339(ex.started), "id": ex.id,
			"policy_id": pol.id, "start_time": ex.started.UTC().Format(time.RFC3339Nano), "status": "Success",
			"trigger": "MANUAL"})
	}
	return page(r, out, pp)
}

// retentionExecutionFromPath resolves {id} and {eid}.
func (s *Server) retentionExecutionFromPath(r *request, action string) (*execution, *apiError) {
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

func (s *Server) listRetentionTasks(r *request) (answer, *apiError) {
	pp, e := parsePage(r)
	if e != nil {
		return answer{}, e
	}
	ex, e := s.retentionExecutionFromPath(r, "list")
	if e != nil {
		return answer{}, e
	}
	t := rfc3339(ex.started)
	var out []map[string]any
	for _, task := range slices.Backward(ex.tasks) {
		out = append(out, map[string]any{"end_time": t, "execution_id": ex.id, "id": task.id, "job_id": task.jobID,
			"repository": task.src, "retained": task.total, "start_time": t, "status": "Success", "status_code": 3,
			"total": task.total})
	}
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
	if other, task := s.state.retentionState().executions.task(tid); other == ex {
		return reply(textBody(fmt.Sprintf("%s [INFO] Run retention process.\n Repository: %s \n Dry Run: %v\n",
			rfc3339(ex.started), task.src, ex.dryRun)))
	}
	return answer{}, errNotFound(fmt.Sprintf("task %d not found", tid))
}
