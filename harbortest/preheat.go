package harbortest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// preheatProviders is what Harbor v2.15.2 answers to GET /p2p/preheat/providers (b309).
const preheatProviders = `[{"icon":"https://raw.githubusercontent.com/dragonflyoss/Dragonfly2/master/docs/images/logo/dragonfly-linear.png","id":"dragonfly","maintainers":["chlins.zhang@gmail.com","gaius.qi@gmail.com"],"name":"Dragonfly","source":"https://github.com/dragonflyoss/Dragonfly2","version":"2.1.59"},{"icon":"https://github.com/uber/kraken/blob/master/assets/kraken-logo-color.svg","id":"kraken","maintainers":["mmpei/peimingming@corp.netease.com"],"name":"Kraken","source":"https://github.com/uber/kraken","version":"0.1.3"}]`

// preheatNameRe is the name Harbor accepts for an instance or a policy (else a 500).
var preheatNameRe = regexp.MustCompile(`^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$`)

// preheatInstance is an instance as Harbor writes it and a body sends it; status is "Unknown" (unchecked).
type preheatInstance struct {
	AuthMode       string `json:"auth_mode"`
	Default        bool   `json:"default"`
	Description    string `json:"description"`
	Enabled        bool   `json:"enabled"`
	Endpoint       string `json:"endpoint"`
	ID             int64  `json:"id"`
	Insecure       bool   `json:"insecure"`
	Name           string `json:"name"`
	SetupTimestamp int64  `json:"setup_timestamp"`
	Status         string `json:"status"`
	Vendor         string `json:"vendor"`
}

// instanceReq is the body of create, update and ping; auth_info is never kept.
type instanceReq = struct {
	preheatInstance
	AuthInfo map[string]string `json:"auth_info"`
}

// instanceOf returns the instance body describes, its status not yet known.
func instanceOf(body *instanceReq) *preheatInstance {
	body.Status = "Unknown"
	return &body.preheatInstance
}

func (m *moreState) instance(match func(*preheatInstance) bool) *preheatInstance {
	if i := slices.IndexFunc(m.instances, match); i >= 0 {
		return m.instances[i]
	}
	return nil
}

func (m *moreState) instanceByID(id int64) *preheatInstance {
	return m.instance(func(in *preheatInstance) bool { return in.ID == id })
}

// instanceClash: another instance has req's name or endpoint, Harbor's unique constraints (500, b312, b351).
func (m *moreState) instanceClash(req *preheatInstance) bool {
	return m.instance(func(in *preheatInstance) bool {
		return in.ID != req.ID && (in.Name == req.Name || in.Endpoint == req.Endpoint)
	}) != nil
}

func (m *moreState) dropInstance(in *preheatInstance) {
	m.instances = slices.DeleteFunc(m.instances, func(x *preheatInstance) bool { return x == in })
}

func (s *Server) listPreheatProviders(r *request) (answer, *apiError) {
	return s.systemReply(r, "preheat-instance", "list", verbatim(preheatProviders+"\n"))
}

func (s *Server) listPreheatInstances(r *request, pp pageParams, q *query) (answer, *apiError) {
	if e := s.requireSystem(r.id, "preheat-instance", "list"); e != nil {
		return answer{}, e
	}
	ins := slices.DeleteFunc(slices.Clone(s.state.extra().instances), func(in *preheatInstance) bool {
		return !q.str("name", in.Name) || !q.str("vendor", in.Vendor) || !q.str("endpoint", in.Endpoint) ||
			!q.num("id", in.ID)
	})
	sortItems(ins, q, map[string]func(a, b *preheatInstance) int{
		"id":   byInt(func(in *preheatInstance) int64 { return in.ID }),
		"name": byString(func(in *preheatInstance) string { return in.Name }),
	})
	return page(r, ins, pp)
}

func (s *Server) createPreheatInstance(r *request, body *instanceReq) (answer, *apiError) {
	in := instanceOf(body)
	m := s.state.extra()
	in.ID, in.SetupTimestamp = 0, s.now().Unix()
	switch {
	case !preheatNameRe.MatchString(in.Name) || m.instance(func(x *preheatInstance) bool { return x.Endpoint == in.Endpoint }) != nil:
		return answer{}, errInternal() // an endpoint in use is the controller's plain error (b312, b351)
	case m.instance(func(x *preheatInstance) bool { return x.Name == in.Name }) != nil:
		return answer{}, errConflict(fmt.Sprintf("instance %s already exists", in.Name)) // the database's (set4)
	}
	in.ID = newID(&m.nextInstanceID)
	m.instances = append(m.instances, in)
	return r.created(strings.TrimSuffix(r.URL.Path, "/") + "/" + in.Name)
}

// instanceAt resolves {preheat_instance_name} for preheat-instance:action.
func (s *Server) instanceAt(r *request, action string) (*preheatInstance, *apiError) {
	name := pathParam(r, "preheat_instance_name")
	in := s.state.extra().instance(func(in *preheatInstance) bool { return in.Name == name })
	e := s.requireSystem(r.id, "preheat-instance", action)
	if e == nil && in == nil {
		e = errNotFound(fmt.Sprintf("instance %s not found", name))
	}
	return in, e
}

func (s *Server) getPreheatInstance(r *request) (answer, *apiError) {
	return replyOr(s.instanceAt(r, "read"))
}

// updatePreheatInstance updates the instance whose id is in the body, not the one named in the path
// (no id: "instance 0 not found", b320); every column is written (setup_timestamp too) and the row
// moves last in Harbor's unsorted list (b356).
func (s *Server) updatePreheatInstance(r *request, body *instanceReq) (answer, *apiError) {
	req := instanceOf(body)
	m := s.state.extra()
	in := m.instanceByID(req.ID)
	switch {
	case in == nil:
		return answer{}, errNotFound(fmt.Sprintf("instance %d not found", req.ID))
	case !preheatNameRe.MatchString(req.Name):
		return answer{}, errInternal()
	case !req.Enabled && m.providerInUse(s.state, in.ID):
		return answer{}, errPrecondition(fmt.Sprintf("Provider [%s] cannot be disabled as some preheat policies are using it", in.Name))
	case req.Vendor != in.Vendor || m.instanceClash(req):
		return answer{}, errInternal() // "vendor cannot be changed" is a plain error
	}
	m.dropInstance(in)
	m.instances = append(m.instances, req)
	return reply(nil)
}

func (m *moreState) providerInUse(st *state, id int64) bool {
	return slices.ContainsFunc(m.livePolicies(st), func(p *preheatPolicy) bool { return p.ProviderID == id })
}

func (s *Server) deletePreheatInstance(r *request, in *preheatInstance) (answer, *apiError) {
	if s.state.extra().providerInUse(s.state, in.ID) {
		return answer{}, errPrecondition(fmt.Sprintf("Provider [%s] cannot be deleted as some preheat policies are using it", in.Name))
	}
	s.state.extra().dropInstance(in)
	return reply(nil)
}

// pingPreheatInstance checks the stored instance whose id is in the body (none: an empty 404) or the
// one the body describes (no endpoint: an empty 400, b319; a bad name: 500); healthy answers (b318).
func (s *Server) pingPreheatInstance(r *request, body *instanceReq) (answer, *apiError) {
	req := instanceOf(body)
	if req.ID > 0 {
		if req = s.state.extra().instanceByID(req.ID); req == nil {
			return answer{http.StatusNotFound, emptyJSON{}}, nil
		}
	} else if req.Endpoint == "" {
		return answer{http.StatusBadRequest, emptyJSON{}}, nil
	} else if !preheatNameRe.MatchString(req.Name) {
		return answer{}, errInternal()
	}
	if !r.healthy(req.Vendor, req.Endpoint) {
		return answer{}, errInternal()
	}
	return reply(nil)
}

// healthy is Harbor's check of a provider, outside the lock: a GET of the vendor's health path is 2xx.
func (r *request) healthy(vendor, endpoint string) (ok bool) {
	path, known := map[string]string{"dragonfly": "/healthy", "kraken": "/health"}[vendor]
	r.outside(func() { ok = known && probe(r.Context(), strings.TrimSuffix(endpoint, "/")+path) })
	return ok
}

func (s *Server) listProjectPreheatProviders(r *request, _ *project) (answer, *apiError) {
	type providerJSON struct {
		Default  bool   `json:"default,omitempty"`
		Enabled  bool   `json:"enabled,omitempty"`
		ID       int64  `json:"id"`
		Provider string `json:"provider"`
	}
	out := []providerJSON{}
	for _, in := range s.state.extra().instances {
		out = append(out, providerJSON{in.Default, in.Enabled, in.ID, in.Vendor + " " + in.Name + "-" + in.Endpoint})
	}
	return reply(out)
}

// preheatPolicy is a project's policy as Harbor writes it and a body sends it.
type preheatPolicy struct {
	CreationTime string `json:"creation_time,omitempty"`
	Description  string `json:"description,omitempty"`
	Enabled      bool   `json:"enabled,omitempty"`
	ExtraAttrs   string `json:"extra_attrs,omitempty"`
	Filters      string `json:"filters,omitempty"`
	ID           int64  `json:"id,omitempty"`
	Name         string `json:"name,omitempty"`
	ProjectID    int64  `json:"project_id,omitempty"`
	ProviderID   int64  `json:"provider_id,omitempty"`
	ProviderName string `json:"provider_name,omitempty"` // set when written
	Trigger      string `json:"trigger,omitempty"`
	UpdateTime   string `json:"update_time,omitempty"`
	trigger      preheatTrigger
	sched        *schedule // while the trigger is "scheduled"
}

// preheatTrigger is the JSON document in a policy's "trigger" string.
type preheatTrigger struct {
	Type     string `json:"type"`
	Settings struct {
		Cron string `json:"cron"`
	} `json:"trigger_setting"`
}

// named sets the provider's name.
func (s *Server) named(p *preheatPolicy) *preheatPolicy {
	p.ProviderName = ""
	if in := s.state.extra().instanceByID(p.ProviderID); in != nil {
		p.ProviderName = in.Name
	}
	return p
}

// preheatProject resolves {project_name} and checks preheat-policy:action.
func (s *Server) preheatProject(r *request, action string) (*project, *apiError) {
	p, e := s.findProject(r, pathParam(r, "project_name"))
	if e == nil {
		e = s.requireProject(r.id, p, "preheat-policy", action)
	}
	return p, e
}

// livePolicies returns, by id, the policies whose project exists (Harbor deletes them with it).
func (m *moreState) livePolicies(st *state) []*preheatPolicy {
	var out []*preheatPolicy
	for _, p := range m.policies {
		if st.projects[p.ProjectID] != nil {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *preheatPolicy) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func (m *moreState) policyByName(projectID int64, name string) *preheatPolicy {
	for _, p := range m.policies {
		if p.ProjectID == projectID && p.Name == name {
			return p
		}
	}
	return nil
}

// preheatPolicy is preheatProject that also resolves {preheat_policy_name}.
func (s *Server) preheatPolicy(r *request, action string) (*preheatPolicy, *apiError) {
	p, e := s.preheatProject(r, action)
	if e != nil {
		return nil, e
	}
	name := pathParam(r, "preheat_policy_name")
	if pol := s.state.extra().policyByName(p.id, name); pol != nil {
		return pol, nil
	}
	return nil, errNotFound(fmt.Sprintf("policy %s not found", name))
}

func (s *Server) listPreheatPolicies(r *request, pp pageParams, q *query) (answer, *apiError) {
	p, e := s.preheatProject(r, "list")
	if e != nil {
		return answer{}, e
	}
	var ps []*preheatPolicy
	for _, pol := range s.state.extra().livePolicies(s.state) {
		if pol.ProjectID == p.id && q.str("name", pol.Name) && q.num("provider_id", pol.ProviderID) && q.boolean("enabled", pol.Enabled) {
			ps = append(ps, s.named(pol))
		}
	}
	sortItems(ps, q, map[string]func(a, b *preheatPolicy) int{
		"id":            byInt(func(p *preheatPolicy) int64 { return p.ID }),
		"name":          byString(func(p *preheatPolicy) string { return p.Name }),
		"creation_time": byString(func(p *preheatPolicy) string { return p.CreationTime }),
		"update_time":   byString(func(p *preheatPolicy) string { return p.UpdateTime }),
	})
	return page(r, ps, pp)
}

// check validates a policy body like Harbor: name (else 500), provider (404), filters and trigger
// in JSON (500), a scheduled trigger's cron (400).
func (m *moreState) check(req *preheatPolicy) *apiError {
	var filters any
	t := &req.trigger
	switch {
	case !preheatNameRe.MatchString(req.Name):
		return errInternal() // "name x is invalid", a plain error
	case m.instanceByID(req.ProviderID) == nil:
		return errNotFound(fmt.Sprintf("instance %d not found", req.ProviderID))
	case req.Filters != "" && json.Unmarshal([]byte(req.Filters), &filters) != nil,
		req.Trigger != "" && json.Unmarshal([]byte(req.Trigger), t) != nil:
		return errInternal()
	case t.Type == "scheduled" && t.Settings.Cron != "" && validCron(t.Settings.Cron) != "":
		return errBadRequest(fmt.Sprintf("invalid cron string for scheduled preheat: %s, error: %s", t.Settings.Cron, validCron(t.Settings.Cron)))
	}
	return nil
}

// save stores pol as policy id, with a schedule while its trigger is scheduled.
func (m *moreState) save(pol *preheatPolicy, id int64, old *schedule, now time.Time) {
	pol.ID, pol.UpdateTime = id, harborTime(now)
	pol.sched, m.policies[id] = old, pol
	switch cron := pol.trigger.Settings.Cron; {
	case pol.trigger.Type != "scheduled" || cron == "":
		pol.sched = nil
	case old == nil:
		pol.sched = m.newSchedule("P2P_PREHEAT", id, "", cron, now)
	default:
		old.Cron, old.updated = cron, now
	}
}

func (s *Server) createPreheatPolicy(r *request, p *project, pol *preheatPolicy) (answer, *apiError) {
	m := s.state.extra()
	e := m.check(pol)
	if e == nil && m.policyByName(p.id, pol.Name) != nil {
		e = errConflict(fmt.Sprintf("policy %s already exists", pol.Name))
	}
	if e != nil {
		return answer{}, e
	}
	now := s.now()
	pol.ProjectID, pol.CreationTime = p.id, harborTime(now)
	m.save(pol, newID(&m.nextPolicyID), nil, now)
	return r.created(strings.TrimSuffix(r.URL.Path, "/") + "/" + pol.Name)
}

func (s *Server) getPreheatPolicy(r *request) (answer, *apiError) {
	pol, e := s.preheatPolicy(r, "read")
	return replyWith(pol, e, s.named)
}

// updatePreheatPolicy updates the policy whose id is in the body, like Harbor ("policy 0 not found"
// without one); every column is written, creation_time too (zero if the body has none).
func (s *Server) updatePreheatPolicy(r *request, p *project, pol *preheatPolicy) (answer, *apiError) {
	m := s.state.extra()
	old := m.policies[pol.ID]
	var e *apiError
	switch {
	case !preheatNameRe.MatchString(pol.Name):
		e = errInternal()
	case old == nil:
		e = errNotFound(fmt.Sprintf("policy %d not found", pol.ID))
	case old.ProjectID != p.id:
		e = errNotFound(fmt.Sprintf("project id %d does not match", p.id))
	default:
		e = m.check(pol)
	}
	if other := m.policyByName(p.id, pol.Name); e == nil && other != nil && other != old {
		e = errInternal() // a unique constraint an update does not map
	}
	if e != nil {
		return answer{}, e
	}
	created, _ := time.Parse(time.RFC3339Nano, pol.CreationTime)
	pol.ProjectID, pol.CreationTime = p.id, harborTime(created)
	m.save(pol, old.ID, old.sched, s.now())
	return reply(nil)
}

func (s *Server) deletePreheatPolicy(r *request, pol *preheatPolicy) (answer, *apiError) {
	m := s.state.extra()
	delete(m.policies, pol.ID)
	m.preheatExecs.dropPolicy(pol.ID)
	return reply(nil)
}

// preheatExecutionJSON is Harbor's Execution, times in RFC 3339 without fractions.
func preheatExecutionJSON(ex *execution) map[string]any {
	n := len(ex.tasks)
	out := map[string]any{"end_time": rfc3339(ex.ended), "extra_attrs": ex.extra, "id": ex.id,
		"metrics": map[string]int{"success_task_count": n, "task_count": n}, "start_time": rfc3339(ex.started),
		"status": ex.status, "trigger": ex.trigger, "vendor_id": ex.policyID, "vendor_type": "P2P_PREHEAT"}
	if n == 0 {
		out["metrics"], out["status_message"] = map[string]int{}, "no artifacts to preheat"
	}
	return out
}

// manualPreheat runs the policy like Harbor's enforcer (500 if it is disabled or its provider unhealthy):
// a finished execution, a task per artifact (Harbor's: per tagged one; harbortest records no tags).
// Harbor's Location has no /api/v2.0.
func (s *Server) manualPreheat(r *request, pol, _ *preheatPolicy) (answer, *apiError) {
	if !pol.Enabled {
		return answer{}, errInternal()
	}
	in, policyID := s.state.extra().instanceByID(pol.ProviderID), pol.ID
	if in == nil {
		return answer{}, errNotFound(fmt.Sprintf("instance %d not found", pol.ProviderID))
	}
	if !r.healthy(in.Vendor, in.Endpoint) {
		return answer{}, errInternal()
	}
	m := s.state.extra() // the state may have changed during the probe
	if pol = m.policies[policyID]; pol == nil || s.state.projects[pol.ProjectID] == nil {
		return answer{}, errNotFound(fmt.Sprintf("policy %d not found", policyID))
	}
	p, now := s.state.projects[pol.ProjectID], s.now()
	trigger, setting := cmp.Or(pol.trigger.Type, "manual"), "-"
	if trigger == "scheduled" {
		setting = pol.trigger.Settings.Cron
	}
	ex := &execution{id: newID(&m.nextExecID), policyID: pol.ID, status: "Success", trigger: trigger,
		started: now, ended: now}
	for _, name := range p.repoNames {
		for _, a := range p.repos[name].artifacts {
			ex.tasks = append(ex.tasks, &task{id: newID(&m.nextTaskID), src: p.repos[name].name, dst: a.digest})
		}
	}
	ex.extra = map[string]any{"total": len(ex.tasks), "trigger": trigger, "trigger_setting": setting}
	m.preheatExecs[ex.id] = ex
	return r.created(fmt.Sprintf("/projects/%s/preheat/policies/%s/executions/%d",
		r.PathValue("project_name"), r.PathValue("preheat_policy_name"), ex.id))
}

// preheatExecution resolves the policy and {execution_id}.
func (s *Server) preheatExecution(r *request, action string) (*execution, *apiError) {
	pol, e := s.preheatPolicy(r, action)
	if e != nil {
		return nil, e
	}
	n, e := pathID(r, "execution_id")
	ex := s.state.extra().preheatExecs[n]
	switch {
	case e != nil:
	case ex == nil:
		e = errNotFound(fmt.Sprintf("execution %d not found", n))
	case ex.policyID != pol.ID:
		e = errNotFound(fmt.Sprintf("project id %d, execution id %d not found", pol.ProjectID, n))
	}
	return ex, e
}

func (s *Server) listPreheatExecutions(r *request, pp pageParams, q *query) (answer, *apiError) {
	pol, e := s.preheatPolicy(r, "list")
	if e != nil {
		return answer{}, e
	}
	exs := slices.DeleteFunc(s.state.extra().preheatExecs.of(pol.ID), func(ex *execution) bool {
		return !q.str("status", ex.status) || !q.str("trigger", ex.trigger) || !q.num("id", ex.id)
	})
	sortItems(exs, q, map[string]func(a, b *execution) int{
		"id":         byInt(func(e *execution) int64 { return e.id }),
		"start_time": byTime(func(e *execution) time.Time { return e.started }),
	})
	return pageOf(r, exs, pp, preheatExecutionJSON)
}

func (s *Server) getPreheatExecution(r *request) (answer, *apiError) {
	ex, e := s.preheatExecution(r, "read")
	return replyWith(ex, e, preheatExecutionJSON)
}

type preheatStopReq = struct {
	Status string `json:"status"`
}

// stopPreheatExecution takes {"status":"Stopped"} (else 500); a finished execution does not change.
func (s *Server) stopPreheatExecution(r *request, _ *execution, req *preheatStopReq) (answer, *apiError) {
	if req.Status != "Stopped" {
		return answer{}, errInternal() // "param status invalid", a plain error
	}
	return reply(nil)
}

func (s *Server) listPreheatTasks(r *request, pp pageParams, q *query) (answer, *apiError) {
	ex, e := s.preheatExecution(r, "list")
	if e != nil {
		return answer{}, e
	}
	t := rfc3339(ex.started)
	tasks := slices.DeleteFunc(slices.Clone(ex.tasks), func(tk *task) bool {
		return !q.str("status", "Success") || !q.num("id", tk.id)
	})
	return pageOf(r, tasks, pp, func(tk *task) map[string]any {
		return map[string]any{"creation_time": t, "end_time": t, "execution_id": ex.id,
			"extra_attrs": map[string]any{"artifact": tk.src, "digest": tk.dst, "kind": "image"},
			"id":          tk.id, "run_count": 1, "start_time": t, "status": "Success", "update_time": t}
	})
}

func (s *Server) getPreheatLog(r *request, ex *execution) (answer, *apiError) {
	n, e := pathID(r, "task_id")
	if e != nil {
		return answer{}, e
	}
	m := s.state.extra()
	switch other, t := m.preheatExecs.task(n); other {
	case nil:
		return answer{}, errNotFound(fmt.Sprintf("task %d not found", n))
	case ex:
		at := harborTime(ex.started)
		return reply(textBody(fmt.Sprintf("%s [INFO] preheating %s@%s\n%s [INFO] preheat of %s@%s: Success\n",
			at, t.src, t.dst, at, t.src, t.dst)))
	default: // a task of another execution: Harbor names the project
		pid := m.policies[ex.policyID].ProjectID
		return answer{}, errNotFound(fmt.Sprintf("project id %d, task id %d not found", pid, n))
	}
}
