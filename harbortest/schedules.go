package harbortest

import (
	"slices"
	"sort"
	"strings"
	"time"
)

// schedule is a row of Harbor's schedule table, which scan all, preheat,
// GC, purge audit (vendor id -1) and retention schedules share (b425).
type schedule struct {
	Cron       string `json:"cron,omitempty"`
	ID         int64  `json:"id,omitempty"`
	UpdateTime string `json:"update_time,omitempty"` // set when listed
	VendorID   int64  `json:"vendor_id,omitempty"`
	VendorType string `json:"vendor_type,omitempty"`
	typ        string
	params     string // GC and purge: job_parameters
	created    time.Time
	updated    time.Time
}

// newSchedule makes a schedule with the next id of the table.
func (m *moreState) newSchedule(vendor string, vendorID int64, typ, cron string, now time.Time) *schedule {
	return &schedule{ID: newID(&m.nextScheduleID), VendorID: vendorID, VendorType: vendor, Cron: cron, typ: typ,
		created: now, updated: now}
}

// schedules returns every schedule by id.
func (m *moreState) schedules(st *state) []*schedule {
	out := []*schedule{m.scanAll.sched}
	for _, p := range m.livePolicies(st) {
		out = append(out, p.sched)
	}
	if js := st.jobs; js != nil {
		out = append(out, js.gc.schedule, js.purge.schedule)
	}
	if rs := st.retention; rs != nil {
		for _, p := range rs.policies {
			out = append(out, p.sched)
		}
	}
	out = slices.DeleteFunc(out, func(s *schedule) bool { return s == nil })
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *Server) listSchedules(r *request, pp pageParams) (answer, *apiError) {
	return pageOf(r, s.state.extra().schedules(s.state), pp, func(sc *schedule) *schedule {
		sc.UpdateTime = harborTime(sc.updated)
		return sc
	})
}

// getSchedulePaused answers any caller, for job_type "all" only (b427).
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
