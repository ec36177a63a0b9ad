package harbortest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"
)

// jobState holds the id sequences Harbor's jobs share (one execution table
// and one task table for replication, retention, webhooks, GC and purge)
// and the GC and audit-log purge runs and schedules.
type jobState struct {
	nextExecution int64
	nextTask      int64
	gc            jobKind
	purge         jobKind
}

// jobKind is the state of one system job: its runs and its schedule.
type jobKind struct {
	runs     map[int64]*jobRun
	schedule *jobRun // nil: no schedule
}

type jobRun struct {
	id        int64
	kind      string // "MANUAL", or the cron string for a schedule
	params    string // job_parameters, a JSON string
	schedType string
	cron      string
	created   time.Time
	updated   time.Time
}

func (st *state) jobState() *jobState {
	if st.jobs == nil {
		st.jobs = &jobState{nextExecution: 1, nextTask: 1,
			gc: jobKind{runs: map[int64]*jobRun{}}, purge: jobKind{runs: map[int64]*jobRun{}}}
	}
	return st.jobs
}

func (js *jobState) nextExecutionID() int64 { js.nextExecution++; return js.nextExecution - 1 }
func (js *jobState) nextTaskID() int64      { js.nextTask++; return js.nextTask - 1 }

// jobSpec describes GC or purge: names, messages and parameter handling.
type jobSpec struct {
	name     string // "GARBAGE_COLLECTION" or "PURGE_AUDIT_LOG"
	resource string // RBAC resource
	what     string // for messages: "garbage collection" / "purge audit"
	kind     func(*jobState) *jobKind
	// params validates the request's parameters and returns job_parameters.
	params func(p map[string]any, manual bool) (string, *apiError)
	log    func(run *jobRun) string
}

var gcJob = jobSpec{
	name: "GARBAGE_COLLECTION", resource: "garbage-collection", what: "garbage collection",
	kind: func(js *jobState) *jobKind { return &js.gc },
	params: func(p map[string]any, manual bool) (string, *apiError) {
		out := map[string]any{"delete_tag": false, "delete_untagged": false}
		for _, k := range []string{"delete_untagged", "delete_tag", "dry_run", "workers"} {
			if v, ok := p[k]; ok {
				out[k] = v
			}
		}
		if manual {
			out["freed_space"], out["purged_blobs"], out["purged_manifests"], out["time_window"] = 0, 0, 0, 2
		}
		b, _ := json.Marshal(out)
		return string(b), nil
	},
	log: func(run *jobRun) string {
		return run.created.UTC().Format(time.RFC3339) + " [INFO] success to run gc in job.\n"
	},
}

var purgeJob = jobSpec{
	name: "PURGE_AUDIT_LOG", resource: "purge-audit", what: "purge audit",
	kind: func(js *jobState) *jobKind { return &js.purge },
	params: func(p map[string]any, _ bool) (string, *apiError) {
		if len(p) == 0 {
			return "", errBadRequest("bad request: schedule parameter cann't be empty")
		}
		if _, ok := p["audit_retention_hour"]; !ok {
			return "", errBadRequest("bad request: audit_retention_hour should provide")
		}
		if _, ok := p["include_event_types"]; !ok {
			return "", errBadRequest("bad request: include_event_types should provide")
		}
		out := map[string]any{}
		for _, k := range []string{"audit_retention_hour", "include_event_types", "dry_run"} {
			if v, ok := p[k]; ok {
				out[k] = v
			}
		}
		b, _ := json.Marshal(out)
		return string(b), nil
	},
	log: func(run *jobRun) string {
		return run.created.UTC().Format(time.RFC3339) + " [INFO] Purge audit job start\n"
	},
}

type scheduleJSON struct {
	Cron              string `json:"cron,omitempty"`
	NextScheduledTime string `json:"next_scheduled_time"`
	Type              string `json:"type"`
}

type jobRunJSON struct {
	CreationTime  string       `json:"creation_time"`
	ID            int64        `json:"id"`
	JobKind       string       `json:"job_kind"`
	JobName       string       `json:"job_name,omitempty"`
	JobParameters string       `json:"job_parameters"`
	JobStatus     string       `json:"job_status"`
	Schedule      scheduleJSON `json:"schedule"`
	UpdateTime    string       `json:"update_time"`
}

func (spec *jobSpec) runJSON(run *jobRun, now time.Time) jobRunJSON {
	out := jobRunJSON{CreationTime: harborTime(run.created), ID: run.id, JobKind: run.kind,
		JobParameters: run.params, JobStatus: "Success",
		Schedule:   scheduleJSON{Cron: run.cron, NextScheduledTime: zeroTime, Type: run.schedType},
		UpdateTime: harborTime(run.updated)}
	if run.kind == "MANUAL" {
		out.JobName = spec.name
	} else {
		out.JobStatus = "Running" // a schedule's status, as Harbor shows it
		if c, err := parseCron(run.cron); err == nil {
			if t := c.next(now); !t.IsZero() {
				out.Schedule.NextScheduledTime = harborTime(t)
			}
		}
	}
	return out
}

// jobHandlers serves the seven operations of GC or purge. GC and purge runs
// finish at once (status Success); schedules are kept, never fired.
func (s *Server) jobHandlers(m map[string]handler, spec *jobSpec, base, idParam, history, get, stop, logOp, getSched, createSched, updateSched string) {
	m[history] = func(r *request) (answer, *apiError) { return s.jobHistory(r, spec) }
	m[get] = func(r *request) (answer, *apiError) { return s.jobGet(r, spec, idParam, false) }
	m[stop] = func(r *request) (answer, *apiError) { return s.jobStop(r, spec, idParam) }
	m[logOp] = func(r *request) (answer, *apiError) { return s.jobGet(r, spec, idParam, true) }
	m[getSched] = func(r *request) (answer, *apiError) { return s.jobGetSchedule(r, spec) }
	m[createSched] = func(r *request) (answer, *apiError) { return s.jobSetSchedule(r, spec, base, true) }
	m[updateSched] = func(r *request) (answer, *apiError) { return s.jobSetSchedule(r, spec, base, false) }
}

func (s *Server) jobHistory(r *request, spec *jobSpec) (answer, *apiError) {
	pp, e := parsePage(r)
	if e != nil {
		return answer{}, e
	}
	if e := s.requireSystem(r.id, spec.resource, "list"); e != nil {
		return answer{}, e
	}
	now := s.now()
	var out []jobRunJSON
	for _, run := range spec.kind(s.state.jobState()).runs {
		out = append(out, spec.runJSON(run, now))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return page(r, out, pp)
}

// jobGet serves one run or its log. An unknown purge run is Harbor's empty
// 500 (b408); an unknown GC run a 404.
func (s *Server) jobGet(r *request, spec *jobSpec, idParam string, log bool) (answer, *apiError) {
	id, e := pathID(r, idParam)
	if e != nil {
		return answer{}, e
	}
	if e := s.requireSystem(r.id, spec.resource, "read"); e != nil {
		return answer{}, e
	}
	run := spec.kind(s.state.jobState()).runs[id]
	switch {
	case run == nil && spec.name == purgeJob.name:
		return answer{status: http.StatusInternalServerError}, nil
	case run == nil && log:
		return answer{}, errNotFound(fmt.Sprintf("%s %d log is not found", spec.what, id))
	case run == nil:
		return answer{}, errNotFound(fmt.Sprintf("%s execution %d not found", spec.what, id))
	case log:
		return reply(textBody(spec.log(run)))
	default:
		return reply(spec.runJSON(run, s.now()))
	}
}

// jobStop stops a run; every run has finished, so it only checks the id.
func (s *Server) jobStop(r *request, spec *jobSpec, idParam string) (answer, *apiError) {
	id, e := pathID(r, idParam)
	if e != nil {
		return answer{}, e
	}
	if e := s.requireSystem(r.id, spec.resource, "stop"); e != nil {
		return answer{}, e
	}
	if spec.kind(s.state.jobState()).runs[id] == nil {
		return answer{}, errNotFound(fmt.Sprintf("%s execution %d not found", spec.what, id))
	}
	return reply(nil)
}

// jobGetSchedule answers the schedule, or 200 with an empty body (not
// JSON) when there is none, as Harbor does (b386).
func (s *Server) jobGetSchedule(r *request, spec *jobSpec) (answer, *apiError) {
	if e := s.requireSystem(r.id, spec.resource, "read"); e != nil {
		return answer{}, e
	}
	sched := spec.kind(s.state.jobState()).schedule
	if sched == nil {
		return reply(emptyJSON{})
	}
	return reply(spec.runJSON(sched, s.now()))
}

var scheduleTypes = map[string]bool{"Hourly": true, "Daily": true, "Weekly": true, "Custom": true,
	"Manual": true, "None": true, "Schedule": true}

// jobSetSchedule serves POST (run now with type Manual, or create a
// schedule) and PUT (replace the schedule; type None removes it).
func (s *Server) jobSetSchedule(r *request, spec *jobSpec, base string, create bool) (answer, *apiError) {
	var req struct {
		Schedule *struct {
			Type string `json:"type"`
			Cron string `json:"cron"`
		} `json:"schedule"`
		Parameters map[string]any `json:"parameters"`
	}
	if e := decodeBody(r, &req, "schedule"); e != nil {
		return answer{}, e
	}
	if req.Schedule == nil {
		return answer{}, errUnprocessable("validation failure list:\nschedule in body is required")
	}
	typ := req.Schedule.Type
	if !scheduleTypes[typ] {
		return answer{}, errUnprocessable("validation failure list:\nschedule.type in body should be one of [Hourly Daily Weekly Custom Manual None Schedule]")
	}
	action := "update"
	if create {
		action = "create"
	}
	if e := s.requireSystem(r.id, spec.resource, action); e != nil {
		return answer{}, e
	}
	js := s.state.jobState()
	k := spec.kind(js)
	now := s.now()
	if typ == "Manual" {
		params, e := spec.params(req.Parameters, true)
		if e != nil {
			return answer{}, e
		}
		run := &jobRun{id: js.nextExecutionID(), kind: "MANUAL", params: params, schedType: "Manual",
			created: now, updated: now}
		k.runs[run.id] = run
		return r.created(apiPrefix + base + "/" + strconv.FormatInt(run.id, 10))
	}
	params, e := spec.params(req.Parameters, false)
	if e != nil {
		return answer{}, e
	}
	// POST answers 201 with Location ".../0" for anything but a manual run:
	// Harbor builds it from an id only runs have.
	done := func() (answer, *apiError) {
		if create {
			return r.created(apiPrefix + base + "/0")
		}
		return reply(nil)
	}
	switch typ {
	case "None":
		k.schedule = nil
		return done()
	case "Schedule": // accepted by validation, ignored by Harbor's handler
		return done()
	}
	// Harbor takes the cron as sent whatever the type: "Daily" without a
	// cron is refused (b399).
	cron := req.Schedule.Cron
	if _, err := parseCron(cron); err != nil {
		msg := fmt.Sprintf("invalid cron string for scheduled gc: %s, error: %v", cron, err)
		if spec.name == purgeJob.name {
			msg = fmt.Sprintf("invalid cron string for scheduled purge audit: %s, error: %v", cron, err)
		}
		return answer{}, errBadRequest(msg)
	}
	k.schedule = &jobRun{id: s.state.extra().newScheduleID(), kind: cron, params: params, schedType: typ, cron: cron,
		created: now, updated: now}
	return done()
}
