package harbortest

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

type replicationFilter struct {
	Type       string `json:"type"`
	Value      any    `json:"value"`
	Decoration string `json:"decoration,omitempty"`
}

// replicationPolicy is a policy as a body sends it (registry ids; 0, none: this Harbor) and Harbor writes it.
type replicationPolicy struct {
	CopyByChunk             bool                `json:"copy_by_chunk"`
	CreationTime            string              `json:"creation_time"`
	Deletion                bool                `json:"deletion,omitempty"`
	Description             string              `json:"description,omitempty"`
	DestNamespace           string              `json:"dest_namespace,omitempty"`
	DestNamespaceReplaceCnt *int                `json:"dest_namespace_replace_count"` // -1 if not sent
	DestRegistry            *registryJSON       `json:"dest_registry"`                // set when written
	Enabled                 bool                `json:"enabled,omitempty"`
	Filters                 []replicationFilter `json:"filters,omitempty"`
	ID                      int64               `json:"id"`
	Name                    string              `json:"name"`
	Override                bool                `json:"override,omitempty"`
	ReplicateDeletion       bool                `json:"replicate_deletion,omitempty"`
	SingleActiveReplication bool                `json:"single_active_replication"`
	Speed                   int                 `json:"speed"`
	SrcRegistry             *registryJSON       `json:"src_registry"` // set when written
	Trigger                 *triggerJSON        `json:"trigger"`
	UpdateTime              string              `json:"update_time"`
	// by id, 0 for this Harbor
	srcRegistry, destRegistry int64
}

type triggerJSON struct {
	TriggerSettings *struct {
		Cron string `json:"cron,omitempty"`
	} `json:"trigger_settings,omitempty"`
	Type string `json:"type"`
}

type replicationState = policyState[replicationPolicy]

func (st *state) replicationState() *replicationState { return ensure(&st.replication) }

func (s *Server) written(p *replicationPolicy) *replicationPolicy {
	src, dst := s.registryOrLocal(p.srcRegistry), s.registryOrLocal(p.destRegistry)
	p.SrcRegistry, p.DestRegistry = &src, &dst
	return p
}

// checkReplication fills in Harbor's defaults of a policy body and validates it like Harbor
// (controller/replication/model, set4); except is the policy an update replaces.
func (s *Server) checkReplication(p *replicationPolicy, except int64) *apiError {
	if p.SrcRegistry != nil {
		p.srcRegistry = p.SrcRegistry.ID
	}
	if p.DestRegistry != nil {
		p.destRegistry = p.DestRegistry.ID
	}
	if p.DestNamespaceReplaceCnt == nil {
		n := -1
		p.DestNamespaceReplaceCnt = &n
	}
	if p.Trigger == nil {
		p.Trigger = &triggerJSON{}
	}
	p.Trigger.Type = cmp.Or(p.Trigger.Type, "manual")
	p.Speed, p.ReplicateDeletion = max(p.Speed, 0), p.Deletion
	if p.Name == "" {
		return errBadRequest("empty name")
	}
	if (p.srcRegistry == 0) == (p.destRegistry == 0) {
		return errBadRequest("either src_registry or dest_registry should be empty and the other one shouldn't be empty")
	}
	for _, f := range p.Filters {
		if e := f.check(); e != nil {
			return e
		}
	}
	if p.DestNamespace != "" && !repoNameRe.MatchString(p.DestNamespace) {
		return errBadRequest("invalid destination namespace: " + p.DestNamespace)
	}
	if e := p.Trigger.check(); e != nil {
		return e
	}
	for _, id := range []int64{p.srcRegistry, p.destRegistry} {
		if id != 0 && s.state.registryState().byID[id] == nil {
			return errNotFound(fmt.Sprintf("registry %d not found", id))
		}
	}
	for _, o := range s.state.replicationState().policies {
		if o.Name == p.Name && o.ID != except {
			return errConflict(fmt.Sprintf("replication policy %s already exists", p.Name))
		}
	}
	return nil
}

// check is Harbor's Filter.Validate (src/pkg/reg/model/policy.go).
func (f replicationFilter) check() *apiError {
	value, isString := f.Value.(string)
	labels, isList := f.Value.([]any)
	switch f.Type {
	case "resource", "name", "tag":
		switch {
		case !isString:
			return errBadRequest("the type of filter value isn't string")
		case f.Type == "resource" && value != "artifact" && value != "image":
			return errBadRequest("invalid resource filter: " + value)
		case f.Type != "tag" && f.Decoration != "":
			return errBadRequest("only tag and label filter support decoration")
		}
	case "label":
		if !isList || slices.ContainsFunc(labels, func(l any) bool { _, ok := l.(string); return !ok }) {
			return errBadRequest("the type of label filter value isn't string slice")
		}
	default:
		return errBadRequest("invalid filter type")
	}
	if f.Decoration != "" && f.Decoration != "matches" && f.Decoration != "excludes" {
		return errBadRequest("invalid filter decoration, :" + f.Decoration)
	}
	return nil
}

// check is the trigger part of Harbor's Policy.Validate.
func (t *triggerJSON) check() *apiError {
	cron := ""
	if t.TriggerSettings != nil {
		cron = t.TriggerSettings.Cron
	}
	fields := strings.Fields(cron)
	_, err := parseCron(cron)
	switch {
	case t.Type == "manual" || t.Type == "event_based":
	case t.Type != "scheduled":
		return errBadRequest("invalid trigger type")
	case cron == "":
		return errBadRequest("the cron string cannot be empty when the trigger type is scheduled")
	case err != nil:
		return errBadRequest("invalid cron string for scheduled trigger: " + cron)
	case fields[0] != "0":
		return errBadRequest("the 1st field (indicating Seconds of time) of the cron setting must be 0")
	case fields[1] == "*":
		return errBadRequest("* is not allowed for the Minutes field of the cron setting of replication policy")
	}
	return nil
}

func (s *Server) listReplicationPolicies(r *request, pp pageParams) (answer, *apiError) {
	lq, e := parseQuery(r) // after access, as Harbor
	if e != nil {
		return answer{}, e
	}
	var out []*replicationPolicy
	name := r.URL.Query().Get("name")
	for _, p := range s.state.replicationState().policies {
		if strings.Contains(p.Name, name) && lq.str("name", p.Name) {
			out = append(out, s.written(p))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID }) // newest first
	return page(r, out, pp)
}

func (s *Server) createReplicationPolicy(r *request, p *replicationPolicy) (answer, *apiError) {
	if e := s.checkReplication(p, 0); e != nil {
		return answer{}, e
	}
	rs := s.state.replicationState()
	p.ID, p.CreationTime, p.UpdateTime = newID(&rs.nextID), harborTime(s.now()), harborTime(s.now())
	rs.policies[p.ID] = p
	return r.created(apiPrefix + "/replication/policies/" + strconv.FormatInt(p.ID, 10))
}

func (s *Server) policyFromPath(r *request, action string) (*replicationPolicy, *apiError) {
	return systemItem(s, r, "id", "replication-policy", action, s.state.replicationState().policies,
		"replication policy %d not found")
}

func (s *Server) getReplicationPolicy(r *request) (answer, *apiError) {
	p, e := s.policyFromPath(r, "read")
	return replyWith(p, e, s.written)
}

func (s *Server) updateReplicationPolicy(r *request, old, p *replicationPolicy) (answer, *apiError) {
	if e := s.checkReplication(p, old.ID); e != nil {
		return answer{}, e
	}
	p.ID, p.CreationTime, p.UpdateTime = old.ID, old.CreationTime, harborTime(s.now())
	s.state.replicationState().policies[p.ID] = p
	return reply(nil)
}

func (s *Server) deleteReplicationPolicy(r *request, p *replicationPolicy) (answer, *apiError) {
	rs := s.state.replicationState()
	delete(rs.policies, p.ID)
	rs.executions.dropPolicy(p.ID)
	return reply(nil)
}

func replicationExecutionJSON(ex *execution) map[string]any {
	return map[string]any{"end_time": harborTime(ex.ended), "failed": 0, "id": ex.id, "in_progress": 0,
		"policy_id": ex.policyID, "start_time": harborTime(ex.started), "status": ex.status, "status_text": "",
		"stopped": 0, "succeed": len(ex.tasks), "total": len(ex.tasks), "trigger": ex.trigger}
}

type replicationStartReq = struct {
	PolicyID int64 `json:"policy_id"`
}

// startReplication runs a policy; harbortest copies nothing: one task that succeeds at once.
func (s *Server) startReplication(r *request, req *replicationStartReq) (answer, *apiError) {
	rs := s.state.replicationState()
	p := rs.policies[req.PolicyID]
	switch {
	case p == nil:
		return answer{}, errNotFound(fmt.Sprintf("replication policy %d not found", req.PolicyID))
	case !p.Enabled:
		return answer{}, errPrecondition(fmt.Sprintf("the policy %d is disabled", p.ID))
	}
	now, js := s.now(), s.state.jobState()
	trigger := "manual"
	if r.URL.Query().Get("trigger") == "scheduled" { // Harbor's legacy scheduler job calls the API so
		trigger = "scheduled"
	}
	ex := &execution{id: newID(&js.nextExecution), policyID: p.ID, trigger: trigger, status: "Succeed",
		started: now, ended: now}
	src := "*"
	for _, f := range p.Filters {
		if v, ok := f.Value.(string); ok && f.Type == "name" {
			src = v
		}
	}
	dst := src
	if p.DestNamespace != "" {
		dst = p.DestNamespace + "/" + src[strings.LastIndex(src, "/")+1:]
	}
	ex.tasks = []*task{{id: newID(&js.nextTask), jobID: randomHex(12),
		src: src + " [0 item(s) in total]", dst: dst + " [0 item(s) in total]"}}
	rs.executions[ex.id] = ex
	s.fireReplication(r, p, ex)
	return r.created(apiPrefix + "/replication/executions/" + strconv.FormatInt(ex.id, 10))
}

func (s *Server) listReplicationExecutions(r *request, pp pageParams) (answer, *apiError) {
	pid, e := queryInt(r, "policy_id")
	if e == nil {
		e = s.requireSystem(r.id, "replication", "list")
	}
	if e != nil {
		return answer{}, e
	}
	qs := r.URL.Query()
	exs := slices.DeleteFunc(s.state.replicationState().executions.of(pid), func(ex *execution) bool {
		return cmp.Or(qs.Get("status"), ex.status) != ex.status || cmp.Or(qs.Get("trigger"), ex.trigger) != ex.trigger
	})
	return pageOf(r, exs, pp, replicationExecutionJSON)
}

func (s *Server) executionFromPath(r *request, action string) (*execution, *apiError) {
	return systemItem(s, r, "id", "replication", action, s.state.replicationState().executions,
		"replication execution %d not found")
}

func (s *Server) getReplicationExecution(r *request) (answer, *apiError) {
	ex, e := s.executionFromPath(r, "read")
	return replyWith(ex, e, replicationExecutionJSON)
}

// stopReplication answers 200 and a JSON null, as Harbor does for a finished execution (b202).
func (s *Server) stopReplication(r *request) (answer, *apiError) {
	_, e := s.executionFromPath(r, "create") // Harbor checks create
	return replyOr(verbatim("null\n"), e)
}

func (s *Server) listReplicationTasks(r *request, ex *execution, pp pageParams) (answer, *apiError) {
	return pageOf(r, ex.tasks, pp, func(t *task) map[string]any {
		return map[string]any{"dst_resource": t.dst, "end_time": harborTime(ex.ended),
			"execution_id": ex.id, "id": t.id, "job_id": t.jobID, "operation": "copy", "resource_type": "artifact",
			"src_resource": t.src, "start_time": secondTime(ex.started), "status": "Succeed"}
	})
}

func (s *Server) getReplicationLog(r *request, ex *execution) (answer, *apiError) {
	tid, e := pathID(r, "task_id")
	if e != nil {
		return answer{}, e
	}
	switch other, t := s.state.replicationState().executions.task(tid); other {
	case ex:
		return reply(textBody(fmt.Sprintf("%s [INFO] copy %s to %s completed (harbortest copies nothing)\n",
			rfc3339(ex.ended), t.src, t.dst)))
	case nil:
		return answer{}, errNotFound(fmt.Sprintf("replication task %d not found", tid))
	default:
		return answer{}, errNotFound(fmt.Sprintf("execution %d contains no task with ID %d", ex.id, tid))
	}
}
