package harbortest

import (
	"cmp"
	"slices"
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

func (s *Server) listSchedules(r *request, pp pageParams) (answer, *apiError) {
	all := []*schedule{s.state.extra().scanAll.sched}
	for _, p := range s.state.extra().livePolicies(s.state) {
		all = append(all, p.sched)
	}
	if js := s.state.jobs; js != nil {
		all = append(all, js.gc.schedule, js.purge.schedule)
	}
	if rs := s.state.retention; rs != nil {
		for _, p := range rs.policies {
			all = append(all, p.sched)
		}
	}
	all = slices.DeleteFunc(all, func(s *schedule) bool { return s == nil })
	slices.SortFunc(all, func(a, b *schedule) int { return cmp.Compare(a.ID, b.ID) })
	return pageOf(r, all, pp, func(sc *schedule) *schedule {
		sc.UpdateTime = harborTime(sc.updated)
		return sc
	})
}

// getSchedulePaused answers any signed-in caller, for job_type "all" only (b427).
func (s *Server) getSchedulePaused(r *request) (answer, *apiError) {
	if !strings.EqualFold(pathParam(r, "job_type"), "all") {
		return answer{}, errBadRequest("job_type can only be 'all'")
	}
	return reply(map[string]bool{"paused": s.state.extra().pausedQueues["SCHEDULER"]})
}
