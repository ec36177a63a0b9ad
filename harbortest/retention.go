package harbortest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// retentionMetadatas is GET /retentions/metadatas of Harbor v2.15.2 (b262).
const retentionMetadatas = `{"scope_selectors":[{"decorations":["repoMatches","repoExcludes"],"display_text":"Repositories","kind":"doublestar"}],"tag_selectors":[{"decorations":["matches","excludes"],"display_text":"Tags","kind":"doublestar"}],"templates":[{"action":"retain","display_text":"the most recently pushed # artifacts","params":[{"required":true,"type":"int","unit":"COUNT"}],"rule_template":"latestPushedK"},{"action":"retain","display_text":"the most recently pulled # artifacts","params":[{"required":true,"type":"int","unit":"COUNT"}],"rule_template":"latestPulledN"},{"action":"retain","display_text":"pushed within the last # days","params":[{"required":true,"type":"int","unit":"DAYS"}],"rule_template":"nDaysSinceLastPush"},{"action":"retain","display_text":"pulled within the last # days","params":[{"required":true,"type":"int","unit":"DAYS"}],"rule_template":"nDaysSinceLastPull"},{"action":"retain","display_text":"always","params":[],"rule_template":"always"}]}`

// retentionPolicy is a policy as a body sends it and Harbor writes it (scope: its project's).
type retentionPolicy struct {
	Algorithm string        `json:"algorithm,omitempty"`
	ID        int64         `json:"id"`
	Rules     []tagRuleJSON `json:"rules"`
	Scope     struct {
		Level string `json:"level"`
		Ref   int64  `json:"ref"`
	} `json:"scope"`
	Trigger struct {
		Kind     string `json:"kind"`
		Settings struct {
			Cron string `json:"cron"`
			Next any    `json:"next_scheduled_time,omitempty"` // any: Harbor's settings take any JSON
		} `json:"settings"`
	} `json:"trigger"`
	sched *schedule // the schedule a cron makes
}

type retentionState = policyState[retentionPolicy]

func (st *state) retentionState() *retentionState { return ensure(&st.retention) }

func (s *Server) toRetentionJSON(p *retentionPolicy) retentionPolicy {
	out := *p
	out.Rules = append([]tagRuleJSON{}, p.Rules...)
	out.Trigger.Settings.Next = nil
	if t := nextRun(p.Trigger.Settings.Cron, s.now()); t != "" {
		out.Trigger.Settings.Next = t
	}
	return out
}

// storeRetention stores req as policy id of project pid in place of old (or nil). Like Harbor the
// trigger kind defaults to "Schedule", and a changed cron makes a new schedule.
func (s *Server) storeRetention(req, old *retentionPolicy, id, pid int64) *apiError {
	cron := req.Trigger.Settings.Cron
	if _, err := parseCron(cron); cron != "" && err != nil {
		return errBadRequest(fmt.Sprintf("invalid cron string for scheduled tag retention: %s, error: %v", cron, err))
	}
	req.ID, req.Scope.Level, req.Scope.Ref = id, "project", pid
	req.Trigger.Kind = cmp.Or(req.Trigger.Kind, "Schedule")
	switch {
	case cron == "":
	case old != nil && old.sched != nil && old.Trigger.Settings.Cron == cron:
		req.sched = old.sched
	default:
		req.sched = s.state.extra().newSchedule("RETENTION", id, "", cron, s.now())
	}
	s.state.retentionState().policies[id] = req
	return nil
}

func (s *Server) getRetentionMetadatas(r *request) (answer, *apiError) {
	return reply(verbatim(retentionMetadatas + "\n"))
}

// checkRules is Harbor's first check of a policy body: at most 15 rules, no rule twice.
func (req *retentionPolicy) checkRules() *apiError {
	if len(req.Rules) > 15 {
		return errBadRequest("bad request: only 15 rules are allowed at most")
	}
	seen := map[string]int{}
	for n, rule := range req.Rules {
		rule.ID = 0
		b, _ := json.Marshal(rule)
		if old, ok := seen[string(b)]; ok {
			return errConflict(fmt.Sprintf("conflict: rule %d is conflict with rule %d", n, old))
		}
		seen[string(b)] = n
	}
	return nil
}

// retentionChecks makes Harbor's first checks in its order: {id} (update), the caller, the rules,
// access to the project the body names (before Harbor knows it exists; a system administrator passes).
func (s *Server) retentionChecks(r *request, req *retentionPolicy, action string) (pid int64, e *apiError) {
	if action == "update" {
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
	return pid, e
}

func (s *Server) createRetention(r *request, req *retentionPolicy) (answer, *apiError) {
	_, e := s.retentionChecks(r, req, "create")
	p := s.state.projects[req.Scope.Ref]
	switch {
	case e != nil:
	case req.Scope.Level != "project":
		e = errBadRequest(fmt.Sprintf("bad request: scope %s is not support", req.Scope.Level))
	case p == nil:
		e = errBadRequest(fmt.Sprintf("bad request: invalid Project id %d", req.Scope.Ref))
	case s.projectMetadata(p)["retention_id"] != "":
		e = errBadRequest(fmt.Sprintf("bad request: project %d already has retention policy %s", p.id,
			s.projectMetadata(p)["retention_id"]))
	default:
		e = s.addRetention(p, req)
	}
	if e != nil {
		return answer{}, e
	}
	return r.created(apiPrefix + "/retentions/" + strconv.FormatInt(req.ID, 10))
}

func (s *Server) addRetention(p *project, req *retentionPolicy) *apiError {
	rs := s.state.retentionState()
	if e := s.storeRetention(req, nil, rs.nextID, p.id); e != nil {
		return e
	}
	rs.nextID++
	s.setProjectMetadata(p, "retention_id", strconv.FormatInt(req.ID, 10))
	return nil
}

// proxyCacheRetention is what Harbor gives a proxy-cache project (policy.WithNDaysSinceLastPull(id, 7)).
const proxyCacheRetention = `{"algorithm":"or","rules":[{"id":1,"priority":1,"action":"retain",` +
	`"template":"nDaysSinceLastPull","params":{"nDaysSinceLastPull":7},` +
	`"tag_selectors":[{"kind":"doublestar","decoration":"matches","pattern":"**"}],` +
	`"scope_selectors":{"repository":[{"kind":"doublestar","decoration":"repoMatches","pattern":"**"}]}}],` +
	`"trigger":{"kind":"Schedule","settings":{"cron":"0 0 0 * * *"}}}`

func (s *Server) addProxyCacheRetention(p *project) {
	req := mustJSON[retentionPolicy](proxyCacheRetention)
	_ = s.addRetention(p, &req)
}

// retentionFromPath resolves {id} and checks access to its project; missing is Harbor's 404 here.
func (s *Server) retentionFromPath(r *request, action string, missing func(int64) *apiError) (*retentionPolicy, *apiError) {
	pid, e := pathID(r, "id")
	pol := s.state.retentionState().policies[pid]
	switch {
	case e != nil:
	case !r.id.authenticated():
		e = errUnauthorized()
	case pol == nil || s.state.projects[pol.Scope.Ref] == nil:
		e = missing(pid)
	default:
		e = s.requireProject(r.id, s.state.projects[pol.Scope.Ref], "tag-retention", action)
	}
	return pol, e
}

// retentionAt is retentionFromPath with Harbor's usual 400 for a missing policy.
func (s *Server) retentionAt(r *request, action string) (*retentionPolicy, *apiError) {
	return s.retentionFromPath(r, action, func(id int64) *apiError {
		return errBadRequest(fmt.Sprintf("bad request: no such Retention policy with id %d", id))
	})
}

// getRetention: a missing policy is Harbor's 500 (b270).
func (s *Server) getRetention(r *request) (answer, *apiError) {
	pol, e := s.retentionFromPath(r, "read", func(int64) *apiError { return errInternal() })
	return replyWith(pol, e, s.toRetentionJSON)
}

// updateRetention replaces a policy, checking like Harbor that the body's project has retention_id {id}.
func (s *Server) updateRetention(r *request, req *retentionPolicy) (answer, *apiError) {
	pid, e := s.retentionChecks(r, req, "update")
	pol := s.state.retentionState().policies[pid]
	p := s.state.projects[req.Scope.Ref]
	switch {
	case e != nil:
	case pol == nil || p == nil || s.projectMetadata(p)["retention_id"] != strconv.FormatInt(pid, 10):
		e = errNotFound(fmt.Sprintf("resource not found: the retention policy id %d does not match", pid))
	default:
		e = s.storeRetention(req, pol, pid, pol.Scope.Ref)
	}
	return replyOr[any](nil, e)
}

func (s *Server) deleteRetention(r *request, pol *retentionPolicy) (answer, *apiError) {
	rs := s.state.retentionState()
	delete(rs.policies, pol.ID)
	rs.executions.dropPolicy(pol.ID)
	s.setProjectMetadata(s.state.projects[pol.Scope.Ref], "retention_id", "")
	return reply(nil)
}

type retentionTriggerReq = struct {
	DryRun bool `json:"dry_run"`
}

// triggerRetention runs the policy at once, a task per repository retaining all (Harbor checks update).
func (s *Server) triggerRetention(r *request, pol *retentionPolicy, req *retentionTriggerReq) (answer, *apiError) {
	js, p := s.state.jobState(), s.state.projects[pol.Scope.Ref]
	ex := &execution{id: newID(&js.nextExecution), policyID: pol.ID, dryRun: req.DryRun, started: s.now()}
	for _, name := range p.repoNames {
		ex.tasks = append(ex.tasks, &task{id: newID(&js.nextTask), src: name, total: len(p.repos[name].artifacts),
			jobID: randomHex(12)})
	}
	s.state.retentionState().executions[ex.id] = ex
	s.fireRetention(r, pol, ex)
	return r.created(fmt.Sprintf("%s/retentions/%d/executions/%d", apiPrefix, pol.ID, ex.id))
}

func (s *Server) listRetentionExecutions(r *request, pol *retentionPolicy, pp pageParams) (answer, *apiError) {
	// retention times are RFC 3339 with Go's precision, not Harbor's usual milliseconds
	return pageOf(r, s.state.retentionState().executions.of(pol.ID), pp, func(ex *execution) map[string]any {
		return map[string]any{"dry_run": ex.dryRun, "end_time": rfc3339(ex.started), "id": ex.id,
			"policy_id": pol.ID, "start_time": ex.started.UTC().Format(time.RFC3339Nano), "status": "Success",
			"trigger": "MANUAL"}
	})
}

func (s *Server) retentionExecution(r *request, action string) (*execution, *apiError) {
	pol, e := s.retentionAt(r, action)
	var eid int64
	if e == nil {
		eid, e = pathID(r, "eid")
	}
	ex := s.state.retentionState().executions[eid]
	if e == nil && (ex == nil || ex.policyID != pol.ID) {
		e = errNotFound(fmt.Sprintf("execution %d not found", eid))
	}
	return ex, e
}

// actionReq is the body of a stop, pause or resume.
type actionReq = struct {
	Action string `json:"action"`
}

// operateRetentionExecution stops an execution: all have finished, so 200.
func (s *Server) operateRetentionExecution(r *request, req *actionReq) (answer, *apiError) {
	if req.Action != "stop" {
		return answer{}, errBadRequest("bad request: action should be 'stop'")
	}
	_, e := s.retentionExecution(r, "update")
	return replyOr[any](nil, e)
}

func (s *Server) listRetentionTasks(r *request, ex *execution, pp pageParams) (answer, *apiError) {
	t := rfc3339(ex.started)
	var out []map[string]any
	for _, task := range slices.Backward(ex.tasks) {
		out = append(out, map[string]any{"end_time": t, "execution_id": ex.id, "id": task.id, "job_id": task.jobID,
			"repository": task.src, "retained": task.total, "start_time": t, "status": "Success", "status_code": 3,
			"total": task.total})
	}
	return page(r, out, pp)
}

func (s *Server) getRetentionTaskLog(r *request, ex *execution) (answer, *apiError) {
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
