package harbortest

import (
	"sort"
	"strings"
	"time"
)

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

func (s *Server) listSchedules(r *request) (answer, *apiError) {
	pp, perr := parsePage(r)
	if perr != nil {
		return answer{}, perr
	}
	if e := s.requireSystem(r.id, "jobservice-monitor", "list"); e != nil {
		return answer{}, e
	}
	all := s.state.extra().schedules(s.state)
	start, end := pp.bounds(len(all))
	out := make([]scheduleTaskJSON, 0, end-start)
	for _, e := range all[start:end] {
		out = append(out, scheduleTaskJSON{Cron: e.cron, ID: e.id, UpdateTime: harborTime(e.updated),
			VendorID: e.vendorID, VendorType: e.vendorType})
	}
	setPagination(r.header, r, len(all), pp)
	return reply(out)
}

// getSchedulePaused answers any authenticated caller, for job_type "all"
// only (in any case), like Harbor (b427).
func (s *Server) getSchedulePaused(r *request) (answer, *apiError) {
	paused := s.state.extra().pausedQueues["SCHEDULER"]
	switch {
	case !r.id.authenticated():
		return answer{}, errUnauthorized()
	case !strings.EqualFold(pathParam(r, "job_type"), "all"):
		return answer{}, errBadRequest("job_type can only be 'all'")
	default:
		return reply(map[string]bool{"paused": paused})
	}
}
