package harbortest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// jobState holds the execution and task ids Harbor's jobs share, and GC and audit-log purge.
type jobState struct {
	nextExecution int64
	nextTask      int64
	gc            jobKind
	purge         jobKind
}

// jobKind is one system job: its runs (type Manual, finished at once) and its schedule (never fired).
type jobKind struct {
	runs     map[int64]*schedule
	schedule *schedule
}

func (st *state) jobState() *jobState {
	return lazy(&st.jobs, func() *jobState {
		return &jobState{nextExecution: 1, nextTask: 1,
			gc: jobKind{runs: map[int64]*schedule{}}, purge: jobKind{runs: map[int64]*schedule{}}}
	})
}

// jobSpec describes GC or purge.
type jobSpec struct {
	name     string // vendor type
	resource string // RBAC resource
	what     string // for messages
	cronWhat string // for invalid cron messages
	kind     func(*jobState) *jobKind
	keys     []string // the parameters kept; purge requires all but dry_run
	log      string
}

var gcJob = jobSpec{name: "GARBAGE_COLLECTION", resource: "garbage-collection", what: "garbage collection",
	kind: func(js *jobState) *jobKind { return &js.gc }, keys: []string{"delete_untagged", "delete_tag", "dry_run", "workers"},
	cronWhat: "gc", log: " [INFO] success to run gc in job.\n"}

var purgeJob = jobSpec{name: "PURGE_AUDIT_LOG", resource: "purge-audit", what: "purge audit",
	kind: func(js *jobState) *jobKind { return &js.purge }, keys: []string{"audit_retention_hour", "include_event_types", "dry_run"},
	cronWhat: "purge audit", log: " [INFO] Purge audit job start\n"}

// params validates the request's parameters and returns job_parameters.
func (spec *jobSpec) params(p map[string]any, manual bool) (string, *apiError) {
	out := map[string]any{}
	purge := spec.name == purgeJob.name
	switch {
	case purge && len(p) == 0:
		return "", errBadRequest("bad request: schedule parameter cann't be empty")
	case !purge:
		out["delete_tag"], out["delete_untagged"] = false, false
		if manual {
			out["freed_space"], out["purged_blobs"], out["purged_manifests"], out["time_window"] = 0, 0, 0, 2
		}
	}
	for _, k := range spec.keys {
		if v, ok := p[k]; ok {
			out[k] = v
		} else if purge && k != "dry_run" {
			return "", errBadRequest("bad request: " + k + " should provide")
		}
	}
	b, _ := json.Marshal(out)
	return string(b), nil
}

// scheduleJSON is the schedule object of GC, purge and scan all.
func scheduleJSON(sc *schedule, next string) map[string]any {
	out := map[string]any{"next_scheduled_time": cmp.Or(next, zeroTime), "type": sc.typ}
	if sc.Cron != "" {
		out["cron"] = sc.Cron
	}
	return out
}

// runJSON is a run, or the schedule as Harbor shows it.
func (spec *jobSpec) runJSON(run *schedule, now time.Time) map[string]any {
	out := map[string]any{"creation_time": harborTime(run.created), "id": run.ID, "job_kind": "MANUAL",
		"job_name": spec.name, "job_parameters": run.params, "job_status": "Success",
		"schedule": scheduleJSON(run, ""), "update_time": harborTime(run.updated)}
	if run.typ != "Manual" {
		out["job_kind"], out["job_status"], out["schedule"] = run.Cron, "Running", scheduleJSON(run, nextRun(run.Cron, now))
		delete(out, "job_name")
	}
	return out
}

// jobHandlers serves the seven operations of GC or purge.
func (s *Server) jobHandlers(m map[string]handler, spec *jobSpec, base, idParam, history, get, stop, logOp, getSched, createSched, updateSched string) {
	m[history] = withPage(sys(s, spec.resource, "list", func(r *request, pp pageParams) (answer, *apiError) {
		runs := slices.SortedFunc(maps.Values(spec.kind(s.state.jobState()).runs),
			func(a, b *schedule) int { return cmp.Compare(b.ID, a.ID) })
		return pageOf(r, runs, pp, func(run *schedule) map[string]any { return spec.runJSON(run, s.now()) })
	}))
	m[get] = func(r *request) (answer, *apiError) { return s.jobGet(r, spec, idParam, "read") }
	m[stop] = func(r *request) (answer, *apiError) { return s.jobGet(r, spec, idParam, "stop") }
	m[logOp] = func(r *request) (answer, *apiError) { return s.jobGet(r, spec, idParam, "log") }
	m[getSched] = func(r *request) (answer, *apiError) { // the schedule, or an empty 200 (b386)
		var out any = emptyJSON{}
		if sched := spec.kind(s.state.jobState()).schedule; sched != nil {
			out = spec.runJSON(sched, s.now())
		}
		return s.systemReply(r, spec.resource, "read", out)
	}
	setSchedule := func(create bool) handler {
		return withBody("schedule", func(r *request, req *scheduleRequest) (answer, *apiError) {
			return s.jobSetSchedule(r, req, spec, base, create)
		})
	}
	m[createSched], m[updateSched] = setSchedule(true), setSchedule(false)
}

// jobGet serves one run, its log or its stop (runs have finished: stop only
// checks the id). An unknown purge run is Harbor's empty 500 (b408); set4 has the others.
func (s *Server) jobGet(r *request, spec *jobSpec, idParam, op string) (answer, *apiError) {
	id, e := pathID(r, idParam)
	e = cmp.Or(e, s.requireSystem(r.id, spec.resource, strings.Replace(op, "log", "read", 1)))
	run := spec.kind(s.state.jobState()).runs[id]
	switch {
	case e != nil:
		return answer{}, e
	case run == nil && op == "read" && spec.name == purgeJob.name:
		return answer{status: http.StatusInternalServerError}, nil
	case run == nil && op == "log" && spec.name == purgeJob.name:
		return answer{}, errNotFound(fmt.Sprintf("purge job with execution ID: %d taskLog is not found", id))
	case run == nil && op == "log":
		return answer{}, errNotFound(fmt.Sprintf("%s %d log is not found", spec.what, id))
	case run == nil && op == "stop":
		return answer{}, errNotFound(fmt.Sprintf("execution %d not found", id))
	case run == nil:
		return answer{}, errNotFound(fmt.Sprintf("%s execution %d not found", spec.what, id))
	case op == "log":
		return reply(textBody(run.created.UTC().Format(time.RFC3339) + spec.log))
	case op == "stop":
		return reply(nil)
	default:
		return reply(spec.runJSON(run, s.now()))
	}
}

// scheduleRequest is the body of the GC, purge and scan all schedules.
type scheduleRequest struct {
	Schedule *struct {
		Type string `json:"type"`
		Cron string `json:"cron"`
	} `json:"schedule"`
	Parameters map[string]any `json:"parameters"`
}

// check validates a schedule body as go-swagger does; missing is its message without a schedule.
// check is go-swagger's enum of the schedule's type, before access; a missing schedule is
// left to the handler (Harbor's 500, or purge's 400: set4).
func (req *scheduleRequest) check() *apiError {
	if req.Schedule == nil {
		return nil
	}
	types := []string{"Hourly", "Daily", "Weekly", "Custom", "Manual", "None", "Schedule"}
	if !slices.Contains(types, req.Schedule.Type) {
		return errModel(fmt.Sprintf("schedule.type in body should be one of %v", types))
	}
	return nil
}

// jobSetSchedule serves POST (a Manual run, or a schedule) and PUT (None removes it).
func (s *Server) jobSetSchedule(r *request, req *scheduleRequest, spec *jobSpec, base string, create bool,
) (answer, *apiError) {
	e := cmp.Or(req.check(), s.requireSystem(r.id, spec.resource, map[bool]string{true: "create", false: "update"}[create]))
	switch {
	case e != nil:
		return answer{}, e
	case req.Schedule == nil && spec.name == purgeJob.name:
		return answer{}, errBadRequest("bad request: schedule cann't be empty")
	case req.Schedule == nil:
		return answer{status: http.StatusInternalServerError}, nil
	}
	params, e := spec.params(req.Parameters, req.Schedule.Type == "Manual")
	if e != nil {
		return answer{}, e
	}
	js, now := s.state.jobState(), s.now()
	k, typ, cron := spec.kind(js), req.Schedule.Type, req.Schedule.Cron
	switch typ {
	case "Manual":
		run := &schedule{ID: newID(&js.nextExecution), typ: typ, params: params, created: now, updated: now}
		k.runs[run.ID] = run
		return r.created(apiPrefix + base + "/" + strconv.FormatInt(run.ID, 10))
	case "None":
		k.schedule = nil
	case "Schedule": // accepted by validation, ignored by Harbor's handler
	default:
		// Harbor takes the cron whatever the type: "Daily" without one is refused (b399).
		if _, err := parseCron(cron); err != nil {
			return answer{}, errBadRequest(fmt.Sprintf("invalid cron string for scheduled %s: %s, error: %v", spec.cronWhat, cron, err))
		}
		k.schedule = s.state.extra().newSchedule(spec.name, -1, typ, cron, now)
		k.schedule.params = params
	}
	// Harbor's Location is ".../0" but for a manual run.
	if create {
		return r.created(apiPrefix + base + "/0")
	}
	return reply(nil)
}
