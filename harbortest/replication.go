package harbortest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

type replicationFilter struct {
	Type       string `json:"type"`
	Value      any    `json:"value"`
	Decoration string `json:"decoration,omitempty"`
}

type replicationPolicy struct {
	id                  int64
	name                string
	description         string
	srcRegistry         int64 // 0: this Harbor
	destRegistry        int64 // 0: this Harbor
	destNamespace       string
	destReplaceCount    int
	filters             []replicationFilter
	triggerType         string
	triggerHasSettings  bool
	cron                string
	enabled             bool
	deletion            bool
	override            bool
	speed               int
	copyByChunk         bool
	singleActiveReplica bool
	created             time.Time
	updated             time.Time
}

type replicationExecution struct {
	id       int64
	policyID int64
	trigger  string
	status   string
	started  time.Time
	ended    time.Time
	tasks    []*replicationTask
}

type replicationTask struct {
	id          int64
	executionID int64
	jobID       string
	src, dst    string
	started     time.Time
	ended       time.Time
}

type replicationState struct {
	nextID     int64
	policies   map[int64]*replicationPolicy
	executions map[int64]*replicationExecution
}

func (st *state) replicationState() *replicationState {
	if st.replication == nil {
		st.replication = &replicationState{nextID: 1, policies: map[int64]*replicationPolicy{},
			executions: map[int64]*replicationExecution{}}
	}
	return st.replication
}

type triggerJSON struct {
	TriggerSettings *struct {
		Cron string `json:"cron,omitempty"`
	} `json:"trigger_settings,omitempty"`
	Type string `json:"type"`
}

type replicationPolicyJSON struct {
	CopyByChunk             bool                `json:"copy_by_chunk"`
	CreationTime            string              `json:"creation_time"`
	Deletion                bool                `json:"deletion,omitempty"`
	Description             string              `json:"description,omitempty"`
	DestNamespace           string              `json:"dest_namespace,omitempty"`
	DestNamespaceReplaceCnt int                 `json:"dest_namespace_replace_count"`
	DestRegistry            registryJSON        `json:"dest_registry"`
	Enabled                 bool                `json:"enabled,omitempty"`
	Filters                 []replicationFilter `json:"filters,omitempty"`
	ID                      int64               `json:"id"`
	Name                    string              `json:"name"`
	Override                bool                `json:"override,omitempty"`
	ReplicateDeletion       bool                `json:"replicate_deletion,omitempty"`
	SingleActiveReplication bool                `json:"single_active_replication"`
	Speed                   int                 `json:"speed"`
	SrcRegistry             registryJSON        `json:"src_registry"`
	Trigger                 triggerJSON         `json:"trigger"`
	UpdateTime              string              `json:"update_time"`
}

func (s *Server) registryOrLocal(id int64) registryJSON {
	if rg := s.state.registryState().byID[id]; id != 0 && rg != nil {
		return rg.toJSON()
	}
	return s.localRegistryJSON()
}

func (s *Server) toPolicyJSON(p *replicationPolicy) replicationPolicyJSON {
	out := replicationPolicyJSON{CopyByChunk: p.copyByChunk, CreationTime: harborTime(p.created),
		Deletion: p.deletion, Description: p.description, DestNamespace: p.destNamespace,
		DestNamespaceReplaceCnt: p.destReplaceCount, DestRegistry: s.registryOrLocal(p.destRegistry),
		Enabled: p.enabled, Filters: p.filters, ID: p.id, Name: p.name, Override: p.override,
		ReplicateDeletion:       p.deletion,
		SingleActiveReplication: p.singleActiveReplica, Speed: p.speed,
		SrcRegistry: s.registryOrLocal(p.srcRegistry), Trigger: triggerJSON{Type: p.triggerType},
		UpdateTime: harborTime(p.updated)}
	if p.triggerHasSettings {
		out.Trigger.TriggerSettings = &struct {
			Cron string `json:"cron,omitempty"`
		}{p.cron}
	}
	return out
}

type replicationPolicyRequest struct {
	Name                    string              `json:"name"`
	Description             string              `json:"description"`
	SrcRegistry             *struct{ ID int64 } `json:"src_registry"`
	DestRegistry            *struct{ ID int64 } `json:"dest_registry"`
	DestNamespace           string              `json:"dest_namespace"`
	DestNamespaceReplaceCnt *int                `json:"dest_namespace_replace_count"`
	Filters                 []replicationFilter `json:"filters"`
	Trigger                 *struct {
		Type            string `json:"type"`
		TriggerSettings *struct {
			Cron string `json:"cron"`
		} `json:"trigger_settings"`
	} `json:"trigger"`
	Enabled                 bool `json:"enabled"`
	Deletion                bool `json:"deletion"`
	Override                bool `json:"override"`
	Speed                   *int `json:"speed"`
	CopyByChunk             bool `json:"copy_by_chunk"`
	SingleActiveReplication bool `json:"single_active_replication"`
}

// policyFromRequest validates a policy body like Harbor and builds the policy.
func (s *Server) policyFromRequest(req *replicationPolicyRequest, except int64) (*replicationPolicy, *apiError) {
	src, dst := int64(0), int64(0)
	if req.SrcRegistry != nil {
		src = req.SrcRegistry.ID
	}
	if req.DestRegistry != nil {
		dst = req.DestRegistry.ID
	}
	if (src == 0) == (dst == 0) {
		return nil, errBadRequest("either src_registry or dest_registry should be empty and the other one shouldn't be empty")
	}
	for _, id := range []int64{src, dst} {
		if id != 0 && s.state.registryState().byID[id] == nil {
			return nil, errNotFound(fmt.Sprintf("registry %d not found", id))
		}
	}
	p := &replicationPolicy{name: req.Name, description: req.Description, srcRegistry: src, destRegistry: dst,
		destNamespace: req.DestNamespace, destReplaceCount: -1, filters: req.Filters, triggerType: "manual",
		enabled: req.Enabled, deletion: req.Deletion, override: req.Override, copyByChunk: req.CopyByChunk,
		singleActiveReplica: req.SingleActiveReplication}
	if req.DestNamespaceReplaceCnt != nil {
		p.destReplaceCount = *req.DestNamespaceReplaceCnt
	}
	if req.Speed != nil && *req.Speed > 0 {
		p.speed = *req.Speed
	}
	if t := req.Trigger; t != nil {
		if t.Type != "" {
			p.triggerType = t.Type
		}
		if t.TriggerSettings != nil {
			p.triggerHasSettings, p.cron = true, t.TriggerSettings.Cron
		}
	}
	if p.triggerType == "scheduled" {
		if _, err := parseCron(p.cron); err != nil {
			return nil, errBadRequest("invalid cron string for scheduled trigger: " + p.cron)
		}
	}
	for _, o := range s.state.replicationState().policies {
		if o.name == p.name && o.id != except {
			return nil, errConflict(fmt.Sprintf("replication policy %s already exists", p.name))
		}
	}
	return p, nil
}

func (s *Server) requireReplication(r *request, resource, action string) *apiError {
	return s.requireSystem(r.id, resource, action)
}

func (s *Server) listReplicationPolicies(r *request) (answer, *apiError) {
	pp, e := parsePage(r)
	if e != nil {
		return answer{}, e
	}
	name := r.URL.Query().Get("name")
	if e := s.requireReplication(r, "replication-policy", "list"); e != nil {
		return answer{}, e
	}
	lq, e := parseQuery(r)
	if e != nil {
		return answer{}, e
	}
	var out []replicationPolicyJSON
	for _, p := range s.state.replicationState().policies {
		if (name == "" || strings.Contains(p.name, name)) && lq.str("name", p.name) {
			out = append(out, s.toPolicyJSON(p))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID }) // newest first
	return page(r, out, pp)
}

func (s *Server) createReplicationPolicy(r *request) (answer, *apiError) {
	var req replicationPolicyRequest
	if e := decodeBody(r, &req, "policy"); e != nil {
		return answer{}, e
	}
	if e := s.requireReplication(r, "replication-policy", "create"); e != nil {
		return answer{}, e
	}
	p, e := s.policyFromRequest(&req, 0)
	if e != nil {
		return answer{}, e
	}
	rs := s.state.replicationState()
	p.id = rs.nextID
	rs.nextID++
	p.created = s.now()
	p.updated = p.created
	rs.policies[p.id] = p
	return r.created(apiPrefix + "/replication/policies/" + strconv.FormatInt(p.id, 10))
}

func (s *Server) policyFromPath(r *request, action string) (*replicationPolicy, *apiError) {
	pid, e := pathID(r, "id")
	if e != nil {
		return nil, e
	}
	if e := s.requireReplication(r, "replication-policy", action); e != nil {
		return nil, e
	}
	p := s.state.replicationState().policies[pid]
	if p == nil {
		return nil, errNotFound(fmt.Sprintf("replication policy %d not found", pid))
	}
	return p, nil
}

func (s *Server) getReplicationPolicy(r *request) (answer, *apiError) {
	p, e := s.policyFromPath(r, "read")
	if e != nil {
		return answer{}, e
	}
	return reply(s.toPolicyJSON(p))
}

func (s *Server) updateReplicationPolicy(r *request) (answer, *apiError) {
	var req replicationPolicyRequest
	if e := decodeBody(r, &req, "policy"); e != nil {
		return answer{}, e
	}
	old, e := s.policyFromPath(r, "update")
	if e != nil {
		return answer{}, e
	}
	p, e := s.policyFromRequest(&req, old.id)
	if e != nil {
		return answer{}, e
	}
	p.id, p.created, p.updated = old.id, old.created, s.now()
	s.state.replicationState().policies[p.id] = p
	return reply(nil)
}

func (s *Server) deleteReplicationPolicy(r *request) (answer, *apiError) {
	p, e := s.policyFromPath(r, "delete")
	if e != nil {
		return answer{}, e
	}
	rs := s.state.replicationState()
	delete(rs.policies, p.id)
	for id, ex := range rs.executions {
		if ex.policyID == p.id {
			delete(rs.executions, id)
		}
	}
	return reply(nil)
}

type replicationExecutionJSON struct {
	EndTime    string `json:"end_time"`
	Failed     int    `json:"failed"`
	ID         int64  `json:"id"`
	InProgress int    `json:"in_progress"`
	PolicyID   int64  `json:"policy_id"`
	StartTime  string `json:"start_time"`
	Status     string `json:"status"`
	StatusText string `json:"status_text"`
	Stopped    int    `json:"stopped"`
	Succeed    int    `json:"succeed"`
	Total      int    `json:"total"`
	Trigger    string `json:"trigger"`
}

func (ex *replicationExecution) toJSON() replicationExecutionJSON {
	return replicationExecutionJSON{EndTime: harborTime(ex.ended), ID: ex.id, PolicyID: ex.policyID,
		StartTime: harborTime(ex.started), Status: ex.status, Succeed: len(ex.tasks), Total: len(ex.tasks),
		Trigger: ex.trigger}
}

// startReplication runs a policy. harbortest copies nothing: the execution
// finishes at once with one succeeded task per policy.
func (s *Server) startReplication(r *request) (answer, *apiError) {
	var req struct {
		PolicyID int64 `json:"policy_id"`
	}
	if e := decodeBody(r, &req, "execution"); e != nil {
		return answer{}, e
	}
	if e := s.requireReplication(r, "replication", "create"); e != nil {
		return answer{}, e
	}
	rs := s.state.replicationState()
	p := rs.policies[req.PolicyID]
	if p == nil {
		return answer{}, errNotFound(fmt.Sprintf("replication policy %d not found", req.PolicyID))
	}
	if !p.enabled {
		return answer{}, errPrecondition(fmt.Sprintf("the policy %d is disabled", p.id))
	}
	now := s.now()
	js := s.state.jobState()
	trigger := "manual"
	if r.URL.Query().Get("trigger") == "scheduled" { // Harbor's legacy scheduler job calls the API so
		trigger = "scheduled"
	}
	ex := &replicationExecution{id: js.nextExecutionID(), policyID: p.id, trigger: trigger, status: "Succeed",
		started: now, ended: now}
	src := "*"
	for _, f := range p.filters {
		if v, ok := f.Value.(string); ok && f.Type == "name" {
			src = v
		}
	}
	dst := src
	if p.destNamespace != "" {
		dst = p.destNamespace + "/" + src[strings.LastIndex(src, "/")+1:]
	}
	ex.tasks = []*replicationTask{{id: js.nextTaskID(), executionID: ex.id, jobID: randomHex(12),
		src: src + " [0 item(s) in total]", dst: dst + " [0 item(s) in total]", started: now, ended: now}}
	rs.executions[ex.id] = ex
	s.fireReplication(r, p, ex)
	return r.created(apiPrefix + "/replication/executions/" + strconv.FormatInt(ex.id, 10))
}

func (s *Server) listReplicationExecutions(r *request) (answer, *apiError) {
	pp, e := parsePage(r)
	if e != nil {
		return answer{}, e
	}
	pid, e := queryInt(r, "policy_id")
	if e != nil {
		return answer{}, e
	}
	qs := r.URL.Query()
	if e := s.requireReplication(r, "replication", "list"); e != nil {
		return answer{}, e
	}
	var out []replicationExecutionJSON
	for _, ex := range s.state.replicationState().executions {
		if (pid == 0 || ex.policyID == pid) && (qs.Get("status") == "" || qs.Get("status") == ex.status) &&
			(qs.Get("trigger") == "" || qs.Get("trigger") == ex.trigger) {
			out = append(out, ex.toJSON())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return page(r, out, pp)
}

func (s *Server) executionFromPath(r *request, action string) (*replicationExecution, *apiError) {
	eid, e := pathID(r, "id")
	if e != nil {
		return nil, e
	}
	if e := s.requireReplication(r, "replication", action); e != nil {
		return nil, e
	}
	ex := s.state.replicationState().executions[eid]
	if ex == nil {
		return nil, errNotFound(fmt.Sprintf("replication execution %d not found", eid))
	}
	return ex, nil
}

func (s *Server) getReplicationExecution(r *request) (answer, *apiError) {
	ex, e := s.executionFromPath(r, "read")
	if e != nil {
		return answer{}, e
	}
	return reply(ex.toJSON())
}

// stopReplication answers 200 with a JSON null, as Harbor does for a
// finished execution (b202).
func (s *Server) stopReplication(r *request) (answer, *apiError) {
	if _, e := s.executionFromPath(r, "create"); e != nil { // Harbor checks create
		return answer{}, e
	}
	return reply(verbatim("null\n"))
}

type replicationTaskJSON struct {
	DstResource  string `json:"dst_resource"`
	EndTime      string `json:"end_time"`
	ExecutionID  int64  `json:"execution_id"`
	ID           int64  `json:"id"`
	JobID        string `json:"job_id"`
	Operation    string `json:"operation"`
	ResourceType string `json:"resource_type"`
	SrcResource  string `json:"src_resource"`
	StartTime    string `json:"start_time"`
	Status       string `json:"status"`
}

func (s *Server) listReplicationTasks(r *request) (answer, *apiError) {
	pp, e := parsePage(r)
	if e != nil {
		return answer{}, e
	}
	ex, e := s.executionFromPath(r, "list")
	if e != nil {
		return answer{}, e
	}
	var out []replicationTaskJSON
	for _, t := range ex.tasks {
		out = append(out, replicationTaskJSON{DstResource: t.dst, EndTime: harborTime(t.ended),
			ExecutionID: ex.id, ID: t.id, JobID: t.jobID, Operation: "copy", ResourceType: "artifact",
			SrcResource: t.src, StartTime: harborTime(t.started.Truncate(time.Second)), Status: "Succeed"})
	}
	return page(r, out, pp)
}

func (s *Server) getReplicationLog(r *request) (answer, *apiError) {
	ex, e := s.executionFromPath(r, "read")
	if e != nil {
		return answer{}, e
	}
	tid, e := pathID(r, "task_id")
	if e != nil {
		return answer{}, e
	}
	for _, t := range ex.tasks {
		if t.id == tid {
			return reply(textBody(fmt.Sprintf("%s [INFO] copy %s to %s completed (harbortest copies nothing)\n",
				t.ended.UTC().Format(time.RFC3339), t.src, t.dst)))
		}
	}
	for _, other := range s.state.replicationState().executions {
		for _, t := range other.tasks {
			if t.id == tid {
				return answer{}, errNotFound(fmt.Sprintf("execution %d contains no task with ID %d", ex.id, tid))
			}
		}
	}
	return answer{}, errNotFound(fmt.Sprintf("replication task %d not found", tid))
}
