package harbortest

import (
	"fmt"
	"net/http"
	"time"
)

// scanAllState is the scan all schedule and the latest manual run.
type scanAllState struct {
	scheduleID   int64 // 0: no schedule
	schedType    string
	cron         string
	schedCreated time.Time
	schedUpdated time.Time
	run          *scanAllRun
}

// scanAllRun is a run of scan all over every artifact. It is deterministic:
// it is running (one task running, the others pending) until its metrics
// have been read once, and has succeeded from the next read on, so that a
// test sees both states as the recording did (v056, v058).
type scanAllRun struct {
	total    int
	trigger  string
	observed bool
	finished bool
	stopped  bool
}

// scannerConfigured reports whether a default scanner is registered
// (scanners.go), without which Harbor refuses scan all with 412 (b335).
// Callers hold s.mu.
func (s *Server) scannerConfigured() bool {
	ss := s.state.scannerState()
	return ss.byUUID[ss.defaultUUID] != nil
}

func errNoScanner() *apiError {
	return errPrecondition("no scanner is configured, it's not possible to scan")
}

type scanAllScheduleObjJSON struct {
	Cron              string `json:"cron,omitempty"`
	NextScheduledTime string `json:"next_scheduled_time,omitempty"`
	Type              string `json:"type,omitempty"`
}

type scanAllScheduleJSON struct {
	CreationTime string                 `json:"creation_time,omitempty"`
	ID           int64                  `json:"id,omitempty"`
	Schedule     scanAllScheduleObjJSON `json:"schedule"`
	Status       string                 `json:"status,omitempty"`
	UpdateTime   string                 `json:"update_time,omitempty"`
}

type scanAllRequest struct {
	Schedule *struct {
		Type string `json:"type"`
		Cron string `json:"cron"`
	} `json:"schedule"`
}

// scanAll is the scan-all permission plus Harbor's 412 without a scanner.
func (s *Server) scanAll(r *request, action string) *apiError {
	if e := s.requireSystem(r.id, "scan-all", action); e != nil {
		return e
	}
	if !s.scannerConfigured() {
		return errNoScanner()
	}
	return nil
}

// getScanAllSchedule answers an empty 200 without a schedule (v053). The
// status of a schedule is its periodic job's, always "Running" (v060).
func (s *Server) getScanAllSchedule(r *request) (answer, *apiError) {
	if e := s.scanAll(r, "read"); e != nil {
		return answer{}, e
	}
	sa := s.state.extra().scanAll
	if sa.scheduleID == 0 {
		return reply(emptyJSON{})
	}
	return reply(scanAllScheduleJSON{CreationTime: harborTime(sa.schedCreated), ID: sa.scheduleID,
		Schedule: scanAllScheduleObjJSON{Cron: sa.cron, NextScheduledTime: "0001-01-01T00:00:00.000Z", Type: sa.schedType},
		Status:   "Running", UpdateTime: harborTime(sa.schedUpdated)})
}

var scanAllTypes = map[string]bool{"Hourly": true, "Daily": true, "Weekly": true, "Custom": true, "Manual": true, "None": true, "Schedule": true}

func decodeScanAll(r *request) (string, string, *apiError) {
	var req scanAllRequest
	if e := decodeBody(r, &req, "schedule"); e != nil {
		return "", "", e
	}
	if req.Schedule == nil {
		return "", "", errUnprocessable("schedule.schedule in body is required")
	}
	if !scanAllTypes[req.Schedule.Type] {
		return "", "", errUnprocessable("validation failure list:\nschedule.type in body should be one of [Hourly Daily Weekly Custom Manual None Schedule]")
	}
	return req.Schedule.Type, req.Schedule.Cron, nil
}

// errScanAllCron is Harbor's answer to a schedule with a bad cron (v062).
func errScanAllCron(cron string) *apiError {
	if msg := validCron(cron); msg != "" {
		return errBadRequest(fmt.Sprintf("invalid cron string for scheduled scan all: %s, error: %s", cron, msg))
	}
	return nil
}

// createScanAllSchedule runs scan all now ("Manual", 409 while a run is
// going on, v057) or creates the schedule (412 if there is one); "None"
// does nothing.
func (s *Server) createScanAllSchedule(r *request) (answer, *apiError) {
	if e := s.scanAll(r, "create"); e != nil {
		return answer{}, e
	}
	typ, cron, e := decodeScanAll(r)
	if e != nil {
		return answer{}, e
	}
	m := s.state.extra()
	sa := &m.scanAll
	switch typ {
	case "Manual":
		if sa.run != nil && !sa.run.finished {
			return answer{}, errConflict("a previous scan all job aleady exits, its status is Running")
		}
		sa.run = &scanAllRun{total: s.state.artifactCount(), trigger: "Manual"}
		sa.run.finished = sa.run.total == 0
	case "None":
	default:
		if sa.scheduleID != 0 {
			return answer{}, errPrecondition("fail to set schedule for scan all as always had one, please delete it firstly then to re-schedule")
		}
		if e := errScanAllCron(cron); e != nil {
			return answer{}, e
		}
		m.setScanAllSchedule(typ, cron, s.now())
	}
	return answer{status: http.StatusCreated}, nil
}

// setScanAllSchedule sets the schedule. Like Harbor, a different type or
// cron replaces the schedule by a new one (a new id); the same is kept.
func (m *moreState) setScanAllSchedule(typ, cron string, now time.Time) {
	sa := &m.scanAll
	if sa.scheduleID != 0 && sa.schedType == typ && sa.cron == cron {
		return
	}
	sa.scheduleID = m.newScheduleID()
	sa.schedType, sa.cron, sa.schedCreated, sa.schedUpdated = typ, cron, now, now
}

// updateScanAllSchedule replaces the schedule; "None" deletes it, "Manual"
// is refused.
func (s *Server) updateScanAllSchedule(r *request) (answer, *apiError) {
	if e := s.scanAll(r, "update"); e != nil {
		return answer{}, e
	}
	typ, cron, e := decodeScanAll(r)
	if e != nil {
		return answer{}, e
	}
	m := s.state.extra()
	switch typ {
	case "Manual":
		return answer{}, errBadRequest("fail to update scan all schedule as wrong schedule type: Manual")
	case "None":
		m.scanAll.scheduleID = 0
	default:
		if e := errScanAllCron(cron); e != nil {
			return answer{}, e
		}
		m.setScanAllSchedule(typ, cron, s.now())
	}
	return reply(nil)
}

// stopScanAll stops the latest run; like Harbor it answers 202 when that run
// has finished (v064) and 400 when there never was one.
func (s *Server) stopScanAll(r *request) (answer, *apiError) {
	if e := s.scanAll(r, "stop"); e != nil {
		return answer{}, e
	}
	run := s.state.extra().scanAll.run
	if run != nil && !run.finished {
		run.finished, run.stopped = true, true
	}
	if run == nil {
		return answer{}, errBadRequest("no scan all job is found currently")
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

// stats returns the metrics of run and advances it (see scanAllRun).
func (run *scanAllRun) stats() scanAllStatsJSON {
	if run == nil {
		return scanAllStatsJSON{}
	}
	if !run.finished && run.observed {
		run.finished = true
	}
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
	return scanAllStatsJSON{Completed: m["Success"] + m["Stopped"], Metrics: m, Ongoing: !run.finished,
		Total: run.total, Trigger: run.trigger}
}

func (s *Server) getScanAllMetrics(r *request) (answer, *apiError) {
	if e := s.scanAll(r, "read"); e != nil {
		return answer{}, e
	}
	return reply(s.state.extra().scanAll.run.stats())
}

// getScheduledScanAllMetrics reports the latest scheduled run; harbortest's
// schedules never fire, so there is none.
func (s *Server) getScheduledScanAllMetrics(r *request) (answer, *apiError) {
	if e := s.scanAll(r, "read"); e != nil {
		return answer{}, e
	}
	return reply(scanAllStatsJSON{})
}

// artifactCount is the number of artifacts in all projects.
func (st *state) artifactCount() int {
	n := 0
	for _, p := range st.projects {
		for _, repo := range p.repos {
			n += len(repo.artifacts)
		}
	}
	return n
}
