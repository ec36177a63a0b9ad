package harbortest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// errUnmapped is Harbor's answer to an error it does not map, such as a
// violated unique constraint.
func errUnmapped() *apiError {
	return &apiError{http.StatusInternalServerError, codeUnknown, "internal server error"}
}

// preheatProviders is what Harbor v2.15.2 answers to GET /p2p/preheat/providers (b309).
const preheatProviders = `[{"icon":"https://raw.githubusercontent.com/dragonflyoss/Dragonfly2/master/docs/images/logo/dragonfly-linear.png","id":"dragonfly","maintainers":["chlins.zhang@gmail.com","gaius.qi@gmail.com"],"name":"Dragonfly","source":"https://github.com/dragonflyoss/Dragonfly2","version":"2.1.59"},{"icon":"https://github.com/uber/kraken/blob/master/assets/kraken-logo-color.svg","id":"kraken","maintainers":["mmpei/peimingming@corp.netease.com"],"name":"Kraken","source":"https://github.com/uber/kraken","version":"0.1.3"}]`

// preheatNameRe is what Harbor accepts as the name of an instance or a
// policy; it answers any other name with a 500 (the handler returns a plain
// error).
var preheatNameRe = regexp.MustCompile(`^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$`)

// preheatHealthPaths are the paths PingInstances checks, by vendor.
var preheatHealthPaths = map[string]string{"dragonfly": "/healthy", "kraken": "/health"}

type preheatInstance struct {
	id          int64
	name        string
	description string
	vendor      string
	endpoint    string
	authMode    string
	authInfo    map[string]string
	enabled     bool
	isDefault   bool
	insecure    bool
	setup       int64
}

// preheatInstanceJSON is an instance as Harbor writes it: auth_info is never
// written back, status is always "Unknown" (Harbor does not check health
// when listing).
type preheatInstanceJSON struct {
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

// preheatInstanceRequest is the body of create, update and ping.
type preheatInstanceRequest struct {
	ID             int64             `json:"id"`
	Name           string            `json:"name"`
	Description    string            `json:"description"`
	Vendor         string            `json:"vendor"`
	Endpoint       string            `json:"endpoint"`
	AuthMode       string            `json:"auth_mode"`
	AuthInfo       map[string]string `json:"auth_info"`
	Enabled        bool              `json:"enabled"`
	Default        bool              `json:"default"`
	Insecure       bool              `json:"insecure"`
	SetupTimestamp int64             `json:"setup_timestamp"`
}

func toPreheatInstanceJSON(in *preheatInstance) preheatInstanceJSON {
	return preheatInstanceJSON{AuthMode: in.authMode, Default: in.isDefault, Description: in.description,
		Enabled: in.enabled, Endpoint: in.endpoint, ID: in.id, Insecure: in.insecure, Name: in.name,
		SetupTimestamp: in.setup, Status: "Unknown", Vendor: in.vendor}
}

func (m *moreState) instanceByName(name string) *preheatInstance {
	for _, in := range m.instances {
		if in.name == name {
			return in
		}
	}
	return nil
}

func (m *moreState) instanceByID(id int64) *preheatInstance {
	for _, in := range m.instances {
		if in.id == id {
			return in
		}
	}
	return nil
}

// instanceClash reports whether another instance has the name or endpoint
// of req: Harbor's unique constraints, which it answers with a 500 (b312, b351).
func (m *moreState) instanceClash(req *preheatInstanceRequest, self int64) bool {
	for _, in := range m.instances {
		if in.id != self && (in.name == req.Name || in.endpoint == req.Endpoint) {
			return true
		}
	}
	return false
}

func (s *Server) listPreheatProviders(r *request) (answer, *apiError) {
	if e := s.requireSystem(r.id, "preheat-instance", "list"); e != nil {
		return answer{}, e
	}
	return reply(verbatim(preheatProviders + "\n"))
}

func (s *Server) listPreheatInstances(r *request) (answer, *apiError) {
	pp, q, le := parseList(r)
	if le != nil {
		return answer{}, le
	}
	if e := s.requireSystem(r.id, "preheat-instance", "list"); e != nil {
		return answer{}, e
	}
	var ins []*preheatInstance
	for _, in := range s.state.extra().instances {
		if q.str("name", in.name) && q.str("vendor", in.vendor) && q.str("endpoint", in.endpoint) && q.num("id", in.id) {
			ins = append(ins, in)
		}
	}
	sortItems(ins, q, map[string]func(a, b *preheatInstance) int{
		"id":   byInt(func(in *preheatInstance) int64 { return in.id }),
		"name": byString(func(in *preheatInstance) string { return in.name }),
	})
	start, end := pp.bounds(len(ins))
	out := make([]preheatInstanceJSON, 0, end-start)
	for _, in := range ins[start:end] {
		out = append(out, toPreheatInstanceJSON(in))
	}
	setPagination(r.header, r, len(ins), pp)
	return reply(out)
}

func (s *Server) createPreheatInstance(r *request) (answer, *apiError) {
	if e := s.requireSystem(r.id, "preheat-instance", "create"); e != nil {
		return answer{}, e
	}
	var req preheatInstanceRequest
	if e := decodeBody(r, &req, "instance"); e != nil {
		return answer{}, e
	}
	m := s.state.extra()
	if !preheatNameRe.MatchString(req.Name) || m.instanceClash(&req, 0) {
		return answer{}, errUnmapped()
	}
	in := &preheatInstance{id: m.nextInstanceID, setup: s.now().Unix()}
	m.nextInstanceID++
	in.set(&req)
	m.instances = append(m.instances, in)
	r.header.Set("Location", strings.TrimSuffix(r.URL.Path, "/")+"/"+in.name)
	return answer{status: http.StatusCreated}, nil
}

// set copies the writable fields of req into in.
func (in *preheatInstance) set(req *preheatInstanceRequest) {
	in.name, in.description, in.vendor, in.endpoint = req.Name, req.Description, req.Vendor, req.Endpoint
	in.authMode, in.authInfo = req.AuthMode, req.AuthInfo
	in.enabled, in.isDefault, in.insecure = req.Enabled, req.Default, req.Insecure
}

// instanceAt checks preheat-instance:action and resolves
// {preheat_instance_name}.
func (s *Server) instanceAt(r *request, action string) (*preheatInstance, *apiError) {
	if e := s.requireSystem(r.id, "preheat-instance", action); e != nil {
		return nil, e
	}
	name := pathParam(r, "preheat_instance_name")
	in := s.state.extra().instanceByName(name)
	if in == nil {
		return nil, errNotFound(fmt.Sprintf("instance %s not found", name))
	}
	return in, nil
}

func (s *Server) getPreheatInstance(r *request) (answer, *apiError) {
	in, e := s.instanceAt(r, "read")
	if e != nil {
		return answer{}, e
	}
	return reply(toPreheatInstanceJSON(in))
}

// updatePreheatInstance updates the instance whose id is in the body, like
// Harbor: the name in the path is not used, a body without "id" is
// "instance 0 not found" (b320), and every column is written, setup_timestamp
// included. The updated row moves to the end of the list, as Harbor's
// unsorted list shows it (b356).
func (s *Server) updatePreheatInstance(r *request) (answer, *apiError) {
	if e := s.requireSystem(r.id, "preheat-instance", "update"); e != nil {
		return answer{}, e
	}
	var req preheatInstanceRequest
	if e := decodeBody(r, &req, "instance"); e != nil {
		return answer{}, e
	}
	m := s.state.extra()
	in := m.instanceByID(req.ID)
	if in == nil {
		return answer{}, errNotFound(fmt.Sprintf("instance %d not found", req.ID))
	}
	if !preheatNameRe.MatchString(req.Name) {
		return answer{}, errUnmapped()
	}
	if !req.Enabled && m.providerInUse(s.state, in.id) {
		return answer{}, errPrecondition(fmt.Sprintf("Provider [%s] cannot be disabled as some preheat policies are using it", in.name))
	}
	if req.Vendor != in.vendor || m.instanceClash(&req, in.id) {
		return answer{}, errUnmapped() // "vendor cannot be changed" is a plain error
	}
	in.set(&req)
	in.setup = req.SetupTimestamp
	m.moveInstanceLast(in)
	return reply(nil)
}

// providerInUse reports whether a policy uses the instance.
func (m *moreState) providerInUse(st *state, id int64) bool {
	for _, p := range m.livePolicies(st) {
		if p.providerID == id {
			return true
		}
	}
	return false
}

func (m *moreState) moveInstanceLast(in *preheatInstance) {
	for i, x := range m.instances {
		if x == in {
			m.instances = append(append(m.instances[:i:i], m.instances[i+1:]...), in)
			return
		}
	}
}

// deletePreheatInstance refuses to delete an instance a policy uses.
func (s *Server) deletePreheatInstance(r *request) (answer, *apiError) {
	in, e := s.instanceAt(r, "delete")
	if e != nil {
		return answer{}, e
	}
	m := s.state.extra()
	if m.providerInUse(s.state, in.id) {
		return answer{}, errPrecondition(fmt.Sprintf("Provider [%s] cannot be deleted as some preheat policies are using it", in.name))
	}
	for i, x := range m.instances {
		if x == in {
			m.instances = append(m.instances[:i:i], m.instances[i+1:]...)
			break
		}
	}
	return reply(nil)
}

// pingPreheatInstance checks the stored instance whose id is in the body
// (404 with an empty body if there is none) or else the instance the body
// describes (400 with an empty body without an endpoint, b319; 500 for a
// name Harbor refuses). It answers 500 when the vendor is unknown or the
// provider does not answer (b318), 200 when it does: see healthy.
func (s *Server) pingPreheatInstance(r *request) (answer, *apiError) {
	if e := s.requireSystem(r.id, "preheat-instance", "read"); e != nil {
		return answer{}, e
	}
	var req preheatInstanceRequest
	if e := decodeBody(r, &req, "instance"); e != nil {
		return answer{}, e
	}
	status := 0
	switch {
	case req.ID > 0:
		if in := s.state.extra().instanceByID(req.ID); in != nil {
			req.Vendor, req.Endpoint = in.vendor, in.endpoint
		} else {
			status = http.StatusNotFound
		}
	case req.Endpoint == "":
		status = http.StatusBadRequest
	case !preheatNameRe.MatchString(req.Name):
		status = http.StatusInternalServerError
	}
	switch {
	case status == http.StatusInternalServerError:
		return answer{}, errUnmapped()
	case status != 0:
		return answer{status, emptyJSON{}}, nil
	case !r.healthy(req.Vendor, req.Endpoint):
		return answer{}, errUnmapped()
	default:
		return reply(nil)
	}
}

// healthy is Harbor's health check of a provider: a GET of the vendor's
// health path (dragonfly: /healthy, kraken: /health) must answer 2xx.
// harbortest really makes that request, so a test points an instance at an
// httptest server of its own to make pings and preheats succeed. The probe
// runs outside the lock.
func (r *request) healthy(vendor, endpoint string) (ok bool) {
	path, known := preheatHealthPaths[vendor]
	r.outside(func() { ok = known && probe(r.Context(), strings.TrimSuffix(endpoint, "/")+path) })
	return ok
}

type projectProviderJSON struct {
	Default  bool   `json:"default,omitempty"`
	Enabled  bool   `json:"enabled,omitempty"`
	ID       int64  `json:"id"`
	Provider string `json:"provider"`
}

func (s *Server) listProjectPreheatProviders(r *request) (answer, *apiError) {
	_, _, e := s.preheatProject(r, "read")
	if e != nil {
		return answer{}, e
	}
	out := []projectProviderJSON{}
	for _, in := range s.state.extra().instances {
		out = append(out, projectProviderJSON{Default: in.isDefault, Enabled: in.enabled, ID: in.id,
			Provider: in.vendor + " " + in.name + "-" + in.endpoint})
	}
	return reply(out)
}

// preheatPolicy is a preheat policy of a project.
type preheatPolicy struct {
	id          int64
	projectID   int64
	name        string
	description string
	providerID  int64
	filters     string
	trigger     string
	triggerType string // manual, scheduled, event_based
	cron        string
	enabled     bool
	extraAttrs  string
	scheduleID  int64 // the id of its schedule while the trigger is "scheduled"
	schedUpdate time.Time
	created     time.Time
	updated     time.Time
}

type preheatPolicyJSON struct {
	CreationTime string `json:"creation_time,omitempty"`
	Description  string `json:"description,omitempty"`
	Enabled      bool   `json:"enabled,omitempty"`
	ExtraAttrs   string `json:"extra_attrs,omitempty"`
	Filters      string `json:"filters,omitempty"`
	ID           int64  `json:"id,omitempty"`
	Name         string `json:"name,omitempty"`
	ProjectID    int64  `json:"project_id,omitempty"`
	ProviderID   int64  `json:"provider_id,omitempty"`
	ProviderName string `json:"provider_name,omitempty"`
	Trigger      string `json:"trigger,omitempty"`
	UpdateTime   string `json:"update_time,omitempty"`
}

type preheatPolicyRequest struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	ProviderID  int64  `json:"provider_id"`
	Filters     string `json:"filters"`
	Trigger     string `json:"trigger"`
	Enabled     bool   `json:"enabled"`
	ExtraAttrs  string `json:"extra_attrs"`
	// CreationTime is written back as sent: Harbor's update writes every
	// column of the body.
	CreationTime string `json:"creation_time"`
}

func (s *Server) toPreheatPolicyJSON(p *preheatPolicy) preheatPolicyJSON {
	out := preheatPolicyJSON{CreationTime: harborTime(p.created), Description: p.description, Enabled: p.enabled,
		ExtraAttrs: p.extraAttrs, Filters: p.filters, ID: p.id, Name: p.name, ProjectID: p.projectID,
		ProviderID: p.providerID, Trigger: p.trigger, UpdateTime: harborTime(p.updated)}
	if in := s.state.extra().instanceByID(p.providerID); in != nil {
		out.ProviderName = in.name
	}
	return out
}

// preheatProject resolves {project_name} and checks the preheat-policy
// permission (roleActions: project admins everything, maintainers read and
// list, developers and guests nothing).
func (s *Server) preheatProject(r *request, action string) (identity, *project, *apiError) {
	p, e := s.findProject(r, pathParam(r, "project_name"))
	if e == nil {
		e = s.requireProject(r.id, p, "preheat-policy", action)
	}
	return r.id, p, e
}

// livePolicies returns the policies whose project still exists (Harbor
// deletes them with the project).
func (m *moreState) livePolicies(st *state) []*preheatPolicy {
	var out []*preheatPolicy
	for _, p := range m.policies {
		if st.projects[p.projectID] != nil {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

func (m *moreState) policyByName(projectID int64, name string) *preheatPolicy {
	for _, p := range m.policies {
		if p.projectID == projectID && p.name == name {
			return p
		}
	}
	return nil
}

// preheatPolicy is preheatProject that also resolves {preheat_policy_name}.
func (s *Server) preheatPolicy(r *request, action string) (identity, *project, *preheatPolicy, *apiError) {
	id, p, e := s.preheatProject(r, action)
	if e != nil {
		return id, nil, nil, e
	}
	name := pathParam(r, "preheat_policy_name")
	pol := s.state.extra().policyByName(p.id, name)
	if pol == nil {
		return id, p, nil, errNotFound(fmt.Sprintf("policy %s not found", name))
	}
	return id, p, pol, nil
}

func (s *Server) listPreheatPolicies(r *request) (answer, *apiError) {
	pp, q, le := parseList(r)
	if le != nil {
		return answer{}, le
	}
	_, p, e := s.preheatProject(r, "list")
	if e != nil {
		return answer{}, e
	}
	var ps []*preheatPolicy
	for _, pol := range s.state.extra().livePolicies(s.state) {
		if pol.projectID == p.id && q.str("name", pol.name) && q.num("provider_id", pol.providerID) && q.boolean("enabled", pol.enabled) {
			ps = append(ps, pol)
		}
	}
	sortItems(ps, q, map[string]func(a, b *preheatPolicy) int{
		"id":            byInt(func(p *preheatPolicy) int64 { return p.id }),
		"name":          byString(func(p *preheatPolicy) string { return p.name }),
		"creation_time": byTime(func(p *preheatPolicy) time.Time { return p.created }),
		"update_time":   byTime(func(p *preheatPolicy) time.Time { return p.updated }),
	})
	start, end := pp.bounds(len(ps))
	out := make([]preheatPolicyJSON, 0, end-start)
	for _, pol := range ps[start:end] {
		out = append(out, s.toPreheatPolicyJSON(pol))
	}
	setPagination(r.header, r, len(ps), pp)
	return reply(out)
}

// preheatTrigger is the JSON document in a policy's "trigger" string.
type preheatTrigger struct {
	Type     string `json:"type"`
	Settings struct {
		Cron string `json:"cron"`
	} `json:"trigger_setting"`
}

// validCron checks a 6-field cron string the way Harbor's cron parser
// reports a wrong number of fields; "" means valid.
func validCron(c string) string {
	fields := strings.Fields(c)
	if len(fields) != 6 {
		return fmt.Sprintf("expected exactly 6 fields, found %d: %v", len(fields), fields)
	}
	for _, f := range fields {
		if strings.IndexFunc(f, notCronRune) >= 0 {
			return fmt.Sprintf("failed to parse %q", f)
		}
	}
	return ""
}

// notCronRune reports whether r cannot appear in a cron field.
func notCronRune(r rune) bool {
	return !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || strings.ContainsRune("*/,-?#", r))
}

// checkPolicy validates a policy body like Harbor: a valid name (else 500),
// an existing provider (404), filters and trigger in JSON (else 500), a
// valid cron for a scheduled trigger (400).
func (m *moreState) checkPolicy(req *preheatPolicyRequest) (preheatTrigger, *apiError) {
	var t preheatTrigger
	if !preheatNameRe.MatchString(req.Name) {
		return t, errUnmapped() // "name x is invalid", a plain error
	}
	if m.instanceByID(req.ProviderID) == nil {
		return t, errNotFound(fmt.Sprintf("instance %d not found", req.ProviderID))
	}
	var filters any
	if req.Filters != "" && json.Unmarshal([]byte(req.Filters), &filters) != nil {
		return t, errUnmapped()
	}
	if req.Trigger != "" && json.Unmarshal([]byte(req.Trigger), &t) != nil {
		return t, errUnmapped()
	}
	if t.Type == "scheduled" && t.Settings.Cron != "" {
		if msg := validCron(t.Settings.Cron); msg != "" {
			return t, errBadRequest(fmt.Sprintf("invalid cron string for scheduled preheat: %s, error: %s", t.Settings.Cron, msg))
		}
	}
	return t, nil
}

func (pol *preheatPolicy) set(req *preheatPolicyRequest, t preheatTrigger) {
	pol.name, pol.description, pol.providerID = req.Name, req.Description, req.ProviderID
	pol.filters, pol.trigger, pol.enabled = req.Filters, req.Trigger, req.Enabled
	pol.extraAttrs = req.ExtraAttrs
	pol.triggerType, pol.cron = t.Type, t.Settings.Cron
}

func (s *Server) createPreheatPolicy(r *request) (answer, *apiError) {
	_, p, e := s.preheatProject(r, "create")
	if e != nil {
		return answer{}, e
	}
	var req preheatPolicyRequest
	if e := decodeBody(r, &req, "policy"); e != nil {
		return answer{}, e
	}
	m := s.state.extra()
	t, e := m.checkPolicy(&req)
	if e == nil && m.policyByName(p.id, req.Name) != nil {
		e = errConflict(fmt.Sprintf("policy %s already exists", req.Name))
	}
	if e != nil {
		return answer{}, e
	}
	now := s.now()
	pol := &preheatPolicy{id: m.nextPolicyID, projectID: p.id, created: now, updated: now}
	m.nextPolicyID++
	pol.set(&req, t)
	m.schedulePolicy(pol, now)
	m.policies[pol.id] = pol
	r.header.Set("Location", strings.TrimSuffix(r.URL.Path, "/")+"/"+pol.name)
	return answer{status: http.StatusCreated}, nil
}

func (s *Server) getPreheatPolicy(r *request) (answer, *apiError) {
	_, _, pol, e := s.preheatPolicy(r, "read")
	if e != nil {
		return answer{}, e
	}
	return reply(s.toPreheatPolicyJSON(pol))
}

// updatePreheatPolicy updates the policy whose id is in the body, like
// Harbor: 404 "policy 0 not found" without an id, "project id N does not
// match" for a policy of another project; every column is written,
// creation_time included (zero if the body has none).
func (s *Server) updatePreheatPolicy(r *request) (answer, *apiError) {
	_, p, e := s.preheatProject(r, "update")
	if e != nil {
		return answer{}, e
	}
	var req preheatPolicyRequest
	if e := decodeBody(r, &req, "policy"); e != nil {
		return answer{}, e
	}
	if !preheatNameRe.MatchString(req.Name) {
		return answer{}, errUnmapped()
	}
	m := s.state.extra()
	pol := m.policies[req.ID]
	switch {
	case pol == nil:
		return answer{}, errNotFound(fmt.Sprintf("policy %d not found", req.ID))
	case pol.projectID != p.id:
		return answer{}, errNotFound(fmt.Sprintf("project id %d does not match", p.id))
	}
	t, e := m.checkPolicy(&req)
	if other := m.policyByName(p.id, req.Name); e == nil && other != nil && other != pol {
		e = errUnmapped() // a unique constraint an update does not map
	}
	if e != nil {
		return answer{}, e
	}
	pol.set(&req, t)
	pol.created, _ = time.Parse(time.RFC3339Nano, req.CreationTime)
	pol.updated = s.now()
	m.schedulePolicy(pol, pol.updated)
	return reply(nil)
}

func (s *Server) deletePreheatPolicy(r *request) (answer, *apiError) {
	_, _, pol, e := s.preheatPolicy(r, "delete")
	if e != nil {
		return answer{}, e
	}
	m := s.state.extra()
	delete(m.policies, pol.id)
	for id, ex := range m.preheatExecs {
		if ex.policyID == pol.id {
			delete(m.preheatExecs, id)
		}
	}
	return reply(nil)
}

// preheatExecution is one run of a policy; it preheats every artifact of the
// project and finishes at once (there is no provider to wait for).
type preheatExecution struct {
	id       int64
	policyID int64
	status   string
	trigger  string
	extra    map[string]any
	start    time.Time
	end      time.Time
	tasks    []*preheatTask
}

type preheatTask struct {
	id       int64
	status   string
	artifact string // project/repo
	digest   string
	start    time.Time
	end      time.Time
}

type executionMetricsJSON struct {
	ErrorTaskCount     int64 `json:"error_task_count,omitempty"`
	PendingTaskCount   int64 `json:"pending_task_count,omitempty"`
	RunningTaskCount   int64 `json:"running_task_count,omitempty"`
	ScheduledTaskCount int64 `json:"scheduled_task_count,omitempty"`
	StoppedTaskCount   int64 `json:"stopped_task_count,omitempty"`
	SuccessTaskCount   int64 `json:"success_task_count,omitempty"`
	TaskCount          int64 `json:"task_count,omitempty"`
}

// executionJSON is Harbor's Execution; its times are RFC 3339 without
// fractions, and zero ("0001-01-01T00:00:00Z") while it runs.
type executionJSON struct {
	EndTime       string                `json:"end_time,omitempty"`
	ExtraAttrs    map[string]any        `json:"extra_attrs,omitempty"`
	ID            int64                 `json:"id"`
	Metrics       *executionMetricsJSON `json:"metrics,omitempty"`
	StartTime     string                `json:"start_time,omitempty"`
	Status        string                `json:"status,omitempty"`
	StatusMessage string                `json:"status_message,omitempty"`
	Trigger       string                `json:"trigger,omitempty"`
	VendorID      int64                 `json:"vendor_id,omitempty"`
	VendorType    string                `json:"vendor_type,omitempty"`
}

type taskJSON struct {
	CreationTime string         `json:"creation_time,omitempty"`
	EndTime      string         `json:"end_time,omitempty"`
	ExecutionID  int64          `json:"execution_id"`
	ExtraAttrs   map[string]any `json:"extra_attrs,omitempty"`
	ID           int64          `json:"id"`
	RunCount     int64          `json:"run_count"`
	StartTime    string         `json:"start_time,omitempty"`
	Status       string         `json:"status,omitempty"`
	UpdateTime   string         `json:"update_time,omitempty"`
}

func toPreheatExecutionJSON(ex *preheatExecution) executionJSON {
	m := &executionMetricsJSON{TaskCount: int64(len(ex.tasks))}
	for _, t := range ex.tasks {
		switch t.status {
		case "Success":
			m.SuccessTaskCount++
		case "Stopped":
			m.StoppedTaskCount++
		case "Error":
			m.ErrorTaskCount++
		}
	}
	out := executionJSON{EndTime: rfc3339(ex.end), ExtraAttrs: ex.extra, ID: ex.id, Metrics: m,
		StartTime: rfc3339(ex.start), Status: ex.status, Trigger: ex.trigger, VendorID: ex.policyID,
		VendorType: "P2P_PREHEAT"}
	if len(ex.tasks) == 0 {
		out.StatusMessage = "no artifacts to preheat"
	}
	return out
}

func toPreheatTaskJSON(exID int64, t *preheatTask) taskJSON {
	return taskJSON{CreationTime: rfc3339(t.start), EndTime: rfc3339(t.end), ExecutionID: exID,
		ExtraAttrs: map[string]any{"artifact": t.artifact, "digest": t.digest, "kind": "image"},
		ID:         t.id, RunCount: 1, StartTime: rfc3339(t.start), Status: t.status, UpdateTime: rfc3339(t.end)}
}

// rfc3339 formats t as Harbor's task and execution APIs do.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return "0001-01-01T00:00:00Z"
	}
	return t.UTC().Format(time.RFC3339)
}

// manualPreheat runs the policy like Harbor's enforcer: 500 if the policy
// is disabled or its provider is not healthy (see healthy), else an
// execution with one task per artifact of the project, all succeeded
// (harbortest records no tags on this branch; Harbor preheats tagged
// artifacts only), or none and the message "no artifacts to preheat".
// 201 with the execution's Location, which Harbor writes without /api/v2.0.
func (s *Server) manualPreheat(r *request) (answer, *apiError) {
	_, _, pol, e := s.preheatPolicy(r, "read")
	if e != nil {
		return answer{}, e
	}
	var req preheatPolicyRequest
	e = decodeBody(r, &req, "policy")
	in := s.state.extra().instanceByID(pol.providerID)
	switch {
	case e != nil:
	case !pol.enabled:
		e = errUnmapped()
	case in == nil:
		e = errNotFound(fmt.Sprintf("instance %d not found", pol.providerID))
	}
	if e != nil {
		return answer{}, e
	}
	policyID, vendor, endpoint := pol.id, in.vendor, in.endpoint
	if !r.healthy(vendor, endpoint) {
		return answer{}, errUnmapped()
	}
	m := s.state.extra()
	pol = m.policies[policyID]
	var p *project
	if pol != nil {
		p = s.state.projects[pol.projectID]
	}
	if p == nil {
		return answer{}, errNotFound(fmt.Sprintf("policy %d not found", policyID))
	}
	now := s.now()
	trigger := pol.triggerType
	if trigger == "" {
		trigger = "manual"
	}
	setting := "-"
	if trigger == "scheduled" {
		setting = pol.cron
	}
	ex := &preheatExecution{id: m.newExecID(), policyID: pol.id, status: "Success", trigger: trigger, start: now, end: now}
	for _, name := range p.repoNames {
		repo := p.repos[name]
		for _, a := range repo.artifacts {
			ex.tasks = append(ex.tasks, &preheatTask{id: m.nextTaskID, status: "Success", artifact: repo.name,
				digest: a.digest, start: now, end: now})
			m.nextTaskID++
		}
	}
	ex.extra = map[string]any{"total": len(ex.tasks), "trigger": trigger, "trigger_setting": setting}
	m.preheatExecs[ex.id] = ex
	r.header.Set("Location", fmt.Sprintf("/projects/%s/preheat/policies/%s/executions/%d",
		r.PathValue("project_name"), r.PathValue("preheat_policy_name"), ex.id))
	return answer{status: http.StatusCreated}, nil
}

// preheatExecution resolves the policy and {execution_id}.
func (s *Server) preheatExecution(r *request, action string) (*preheatExecution, *apiError) {
	_, p, pol, e := s.preheatPolicy(r, action)
	if e != nil {
		return nil, e
	}
	raw := pathParam(r, "execution_id")
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return nil, errUnprocessable(fmt.Sprintf("execution_id in path must be of type int64: %q", raw))
	}
	ex := s.state.extra().preheatExecs[n]
	switch {
	case ex == nil:
		e = errNotFound(fmt.Sprintf("execution %d not found", n))
	case ex.policyID != pol.id:
		e = errNotFound(fmt.Sprintf("project id %d, execution id %d not found", p.id, n))
	}
	return ex, e
}

func (s *Server) listPreheatExecutions(r *request) (answer, *apiError) {
	pp, q, le := parseList(r)
	if le != nil {
		return answer{}, le
	}
	_, _, pol, e := s.preheatPolicy(r, "list")
	if e != nil {
		return answer{}, e
	}
	var exs []*preheatExecution
	for _, ex := range s.state.extra().preheatExecs {
		if ex.policyID == pol.id && q.str("status", ex.status) && q.str("trigger", ex.trigger) && q.num("id", ex.id) {
			exs = append(exs, ex)
		}
	}
	sort.Slice(exs, func(i, j int) bool { return exs[i].id > exs[j].id })
	sortItems(exs, q, map[string]func(a, b *preheatExecution) int{
		"id":         byInt(func(e *preheatExecution) int64 { return e.id }),
		"start_time": byTime(func(e *preheatExecution) time.Time { return e.start }),
	})
	start, end := pp.bounds(len(exs))
	out := make([]executionJSON, 0, end-start)
	for _, ex := range exs[start:end] {
		out = append(out, toPreheatExecutionJSON(ex))
	}
	setPagination(r.header, r, len(exs), pp)
	return reply(out)
}

func (s *Server) getPreheatExecution(r *request) (answer, *apiError) {
	ex, e := s.preheatExecution(r, "read")
	if e != nil {
		return answer{}, e
	}
	return reply(toPreheatExecutionJSON(ex))
}

// stopPreheatExecution takes {"status":"Stopped"} (any other status is a
// 500); stopping an execution that has finished (all of harbortest's)
// changes nothing, as in Harbor.
func (s *Server) stopPreheatExecution(r *request) (answer, *apiError) {
	ex, e := s.preheatExecution(r, "update")
	if e != nil {
		return answer{}, e
	}
	var req struct {
		Status string `json:"status"`
	}
	if e := decodeBody(r, &req, "execution"); e != nil {
		return answer{}, e
	}
	if req.Status != "Stopped" {
		return answer{}, errUnmapped() // "param status invalid", a plain error
	}
	if ex.status == "Running" || ex.status == "Pending" {
		ex.status, ex.end = "Stopped", s.now()
	}
	return reply(nil)
}

func (s *Server) listPreheatTasks(r *request) (answer, *apiError) {
	pp, q, le := parseList(r)
	if le != nil {
		return answer{}, le
	}
	ex, e := s.preheatExecution(r, "list")
	if e != nil {
		return answer{}, e
	}
	var ts []*preheatTask
	for _, t := range ex.tasks {
		if q.str("status", t.status) && q.num("id", t.id) {
			ts = append(ts, t)
		}
	}
	start, end := pp.bounds(len(ts))
	out := make([]taskJSON, 0, end-start)
	for _, t := range ts[start:end] {
		out = append(out, toPreheatTaskJSON(ex.id, t))
	}
	setPagination(r.header, r, len(ts), pp)
	return reply(out)
}

func (s *Server) getPreheatLog(r *request) (answer, *apiError) {
	ex, e := s.preheatExecution(r, "read")
	if e != nil {
		return answer{}, e
	}
	raw := pathParam(r, "task_id")
	n, err := strconv.ParseInt(raw, 10, 64)
	m := s.state.extra()
	var task *preheatTask
	elsewhere := false // a task of another execution: Harbor names the project
	for _, other := range m.preheatExecs {
		for _, t := range other.tasks {
			if t.id == n {
				task, elsewhere = t, other != ex
			}
		}
	}
	var projectID int64
	if pol := m.policies[ex.policyID]; pol != nil {
		projectID = pol.projectID
	}
	if task == nil || elsewhere {
		switch {
		case err != nil:
			return answer{}, errUnprocessable(fmt.Sprintf("task_id in path must be of type int64: %q", raw))
		case elsewhere:
			return answer{}, errNotFound(fmt.Sprintf("project id %d, task id %d not found", projectID, n))
		default:
			return answer{}, errNotFound(fmt.Sprintf("task %d not found", n))
		}
	}
	log := fmt.Sprintf("%s [INFO] preheating %s@%s\n%s [INFO] preheat of %s@%s: Success\n",
		harborTime(task.start), task.artifact, task.digest, harborTime(task.end), task.artifact, task.digest)
	return reply(textBody(log))
}

// schedulePolicy gives a policy with a scheduled trigger a schedule (listed
// by GET /schedules) and takes it from the others.
func (m *moreState) schedulePolicy(pol *preheatPolicy, now time.Time) {
	if pol.triggerType != "scheduled" || pol.cron == "" {
		pol.scheduleID = 0
		return
	}
	if pol.scheduleID == 0 {
		pol.scheduleID = m.newScheduleID()
	}
	pol.schedUpdate = now
}
