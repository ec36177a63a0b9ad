package harbortest

import (
	"net/http"
	"sort"
	"strings"
	"time"
)

// scheduleRoutes serves the list of schedules and whether the scheduler is
// paused (the SCHEDULER job queue, see jobservice.go).
func (s *Server) scheduleRoutes() []route {
	return []route{
		{"listSchedules", "GET", "/schedules", s.listSchedules},
		{"getSchedulePaused", "GET", "/schedules/{job_type}/paused", s.getSchedulePaused},
	}
}

type scheduleTaskJSON struct {
	Cron       string `json:"cron,omitempty"`
	ID         int64  `json:"id,omitempty"`
	UpdateTime string `json:"update_time,omitempty"`
	VendorID   int64  `json:"vendor_id,omitempty"`
	VendorType string `json:"vendor_type,omitempty"`
}

type scheduleEntry struct {
	id         int64
	vendorType string
	vendorID   int64
	cron       string
	updated    time.Time
}

// schedules returns every schedule by id, as Harbor's schedule table holds
// them: scan all, preheat policies with a scheduled trigger, GC and purge
// audit (vendor id -1) and retention policies with a cron (b425).
func (m *moreState) schedules(st *state) []scheduleEntry {
	var out []scheduleEntry
	if sa := &m.scanAll; sa.scheduleID != 0 {
		out = append(out, scheduleEntry{sa.scheduleID, "SCAN_ALL", 0, sa.cron, sa.schedUpdated})
	}
	for _, p := range m.livePolicies(st) {
		if p.scheduleID != 0 {
			out = append(out, scheduleEntry{p.scheduleID, "P2P_PREHEAT", p.id, p.cron, p.schedUpdate})
		}
	}
	if js := st.jobs; js != nil {
		for _, j := range []struct {
			vendor string
			sched  *jobRun
		}{{gcJob.name, js.gc.schedule}, {purgeJob.name, js.purge.schedule}} {
			if j.sched != nil {
				out = append(out, scheduleEntry{j.sched.id, j.vendor, -1, j.sched.cron, j.sched.updated})
			}
		}
	}
	if rs := st.retention; rs != nil {
		for _, p := range rs.policies {
			if p.scheduleID != 0 {
				out = append(out, scheduleEntry{p.scheduleID, "RETENTION", p.id, p.cron, p.schedUpdated})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

func (s *Server) listSchedules(w http.ResponseWriter, r *http.Request) {
	pp, perr := parsePage(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	if _, ok := s.lockedSystem(w, r, "jobservice-monitor", "list"); !ok {
		return
	}
	all := s.state.extra().schedules(s.state)
	start, end := pp.bounds(len(all))
	out := make([]scheduleTaskJSON, 0, end-start)
	for _, e := range all[start:end] {
		out = append(out, scheduleTaskJSON{Cron: e.cron, ID: e.id, UpdateTime: harborTime(e.updated),
			VendorID: e.vendorID, VendorType: e.vendorType})
	}
	s.mu.Unlock()
	setPagination(w.Header(), r, len(all), pp)
	writeJSON(w, http.StatusOK, out)
}

// getSchedulePaused answers any authenticated caller, for job_type "all"
// only (in any case), like Harbor (b427).
func (s *Server) getSchedulePaused(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	id := s.authenticate(r)
	paused := s.state.extra().pausedQueues["SCHEDULER"]
	s.mu.Unlock()
	switch {
	case !id.authenticated():
		writeError(w, errUnauthorized())
	case !strings.EqualFold(pathParam(r, "job_type"), "all"):
		writeError(w, errBadRequest("job_type can only be 'all'"))
	default:
		writeJSON(w, http.StatusOK, map[string]bool{"paused": paused})
	}
}
