package harbortest

import (
	"fmt"
	"net/http"
)

type scanAllState struct {
	sched *schedule
	run   *scanAllRun
}

// scanAllRun is a run of scan all: Running until its metrics are read once, then Success (v056, v058).
type scanAllRun struct {
	total    int
	observed bool
	finished bool
	stopped  bool
}

// scanAll makes h a handler for scan-all:action callers once a default scanner exists (412 before, b335).
func (s *Server) scanAll(action string, h handler) handler {
	return s.system("scan-all", action, func(r *request) (answer, *apiError) {
		if ss := s.state.scannerState(); ss.byUUID[ss.defaultUUID] == nil {
			return answer{}, errPrecondition("no scanner is configured, it's not possible to scan")
		}
		return h(r)
	})
}

// getScanAllSchedule answers an empty 200 without a schedule (v053), else status Running (v060).
func (s *Server) getScanAllSchedule(r *request) (answer, *apiError) {
	sc := s.state.extra().scanAll.sched
	if sc == nil {
		return reply(emptyJSON{})
	}
	return reply(map[string]any{"creation_time": harborTime(sc.created), "id": sc.ID, "schedule": scheduleJSON(sc, ""),
		"status": "Running", "update_time": harborTime(sc.updated)})
}

// setScanAllSchedule runs scan all now (Manual: 409 while one runs, v057; not by PUT) or sets
// the schedule (POST: 412 if there is one; bad cron v062). A different type or cron makes a new
// schedule (new id); None deletes it (PUT only).
func (s *Server) setScanAllSchedule(create bool) handler {
	return withBody("schedule", func(r *request, req *scheduleRequest) (answer, *apiError) {
		if e := req.check(); e != nil {
			return answer{}, e
		}
		action := map[bool]string{true: "create", false: "update"}[create]
		return s.scanAll(action, func(r *request) (answer, *apiError) {
			if req.Schedule == nil {
				return answer{status: http.StatusInternalServerError}, nil // Harbor reads the missing schedule (set4)
			}
			typ, cron := req.Schedule.Type, req.Schedule.Cron
			sa := &s.state.extra().scanAll
			switch {
			case typ == "Manual" && !create:
				return answer{}, errBadRequest("fail to update scan all schedule as wrong schedule type: Manual")
			case typ == "Manual" && sa.run != nil && !sa.run.finished:
				return answer{}, errConflict("a previous scan all job aleady exits, its status is Running")
			case typ == "Manual":
				sa.run = &scanAllRun{total: s.state.artifactCount()}
				sa.run.finished = sa.run.total == 0
			case typ == "None" && !create:
				sa.sched = nil
			case typ == "None":
			case create && sa.sched != nil:
				return answer{}, errPrecondition("fail to set schedule for scan all as always had one, please delete it firstly then to re-schedule")
			case validCron(cron) != "":
				return answer{}, errBadRequest(fmt.Sprintf("invalid cron string for scheduled scan all: %s, error: %s", cron, validCron(cron)))
			case sa.sched == nil || sa.sched.typ != typ || sa.sched.Cron != cron:
				sa.sched = s.state.extra().newSchedule("SCAN_ALL", 0, typ, cron, s.now())
			}
			if create {
				return answer{status: http.StatusCreated}, nil
			}
			return reply(nil)
		})(r)
	})
}

// stopScanAll stops the latest run: 202 even if it finished (v064), 400 without one.
func (s *Server) stopScanAll(r *request) (answer, *apiError) {
	run := s.state.extra().scanAll.run
	if run == nil {
		return answer{}, errBadRequest("no scan all job is found currently")
	}
	if !run.finished {
		run.finished, run.stopped = true, true
	}
	return answer{status: http.StatusAccepted}, nil
}

type scanAllStatsJSON struct {
	Completed int            `json:"completed"`
	Metrics   map[string]int `json:"metrics,omitempty"`
	Ongoing   bool           `json:"ongoing"`
	Total     int            `json:"total"`
	Trigger   string         `json:"trigger,omitempty"`
}

// getScanAllMetrics answers the metrics of the latest run and advances it (see scanAllRun).
func (s *Server) getScanAllMetrics(r *request) (answer, *apiError) {
	run := s.state.extra().scanAll.run
	if run == nil {
		return reply(scanAllStatsJSON{})
	}
	run.finished = run.finished || run.observed
	run.observed = true
	m := map[string]int{"Error": 0, "Pending": 0, "Running": 0, "Stopped": 0, "Success": 0}
	switch {
	case run.stopped:
		m["Stopped"] = run.total
	case run.finished:
		m["Success"] = run.total
	default:
		m["Running"], m["Pending"] = 1, run.total-1
	}
	return reply(scanAllStatsJSON{Completed: m["Success"] + m["Stopped"], Metrics: m, Ongoing: !run.finished,
		Total: run.total, Trigger: "Manual"}) // runs start by hand only: schedules never fire here
}

// getScheduledScanAllMetrics: schedules never fire here, so no run.
func (s *Server) getScheduledScanAllMetrics(r *request) (answer, *apiError) {
	return reply(scanAllStatsJSON{})
}

func (st *state) artifactCount() (n int) {
	for _, p := range st.projects {
		for _, repo := range p.repos {
			n += len(repo.artifacts)
		}
	}
	return n
}
