package harbortest

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
)

// projectUsedStorage sums the artifacts' sizes: harbortest stores no blobs (Harbor counts each once).
func (s *Server) projectUsedStorage(p *project) (used int64) {
	for _, r := range p.repos {
		for _, a := range r.artifacts {
			used += a.size
		}
	}
	return used
}

// quotaJSON is a project's quota: the project's id, hard storage p.storageLimit.
type quotaJSON struct {
	CreationTime string           `json:"creation_time"`
	Hard         map[string]int64 `json:"hard"`
	ID           int64            `json:"id"`
	Ref          map[string]any   `json:"ref"` // Harbor's QuotaRefObject: id, name, owner_name
	UpdateTime   string           `json:"update_time"`
	Used         map[string]int64 `json:"used"`
}

// toQuotaJSON: Harbor's list shows the last update time, its GET always the zero time (b213, b221).
func (s *Server) toQuotaJSON(p *project, forList bool) quotaJSON {
	upd := zeroTime
	if forList {
		upd = harborTime(cmp.Or(s.state.quotaUpdated[p.id], p.created))
	}
	return quotaJSON{CreationTime: harborTime(p.created), Hard: map[string]int64{"storage": p.storageLimit},
		ID: p.id, Ref: map[string]any{"id": p.id, "name": p.name, "owner_name": ""}, UpdateTime: upd,
		Used: map[string]int64{"storage": s.projectUsedStorage(p)}}
}

// listQuotas lists project quotas, newest first unless sort says otherwise.
func (s *Server) listQuotas(r *request, pp pageParams, q *query) (answer, *apiError) {
	qs := r.URL.Query()
	ref := qs.Get("reference")
	refID, _ := strconv.ParseInt(qs.Get("reference_id"), 10, 64)
	if e := s.requireSystem(r.id, "quota", "list"); e != nil {
		return answer{}, e
	}
	var out []quotaJSON
	if ref == "" || ref == "project" {
		for _, p := range s.state.projects {
			if refID == 0 || p.id == refID {
				out = append(out, s.toQuotaJSON(p, true))
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	sortItems(out, q, map[string]func(a, b quotaJSON) int{
		"id":            byInt(func(x quotaJSON) int64 { return x.ID }),
		"used.storage":  byInt(func(x quotaJSON) int64 { return x.Used["storage"] }),
		"hard.storage":  byInt(func(x quotaJSON) int64 { return x.Hard["storage"] }),
		"creation_time": byString(func(x quotaJSON) string { return x.CreationTime }),
		"update_time":   byString(func(x quotaJSON) string { return x.UpdateTime }),
	})
	return page(r, out, pp)
}

func (s *Server) quotaFromPath(r *request, action string) (*project, *apiError) {
	return systemItem(s, r, "id", "quota", action, s.state.projects, "quota %d not found")
}

func (s *Server) getQuota(r *request) (answer, *apiError) {
	p, e := s.quotaFromPath(r, "read")
	return replyWith(p, e, func(p *project) quotaJSON { return s.toQuotaJSON(p, false) })
}

type quotaUpdateReq = struct {
	Hard map[string]int64 `json:"hard"`
}

// updateQuota accepts, like Harbor, a limit below current usage and -1 for unlimited.
func (s *Server) updateQuota(r *request, req *quotaUpdateReq) (answer, *apiError) {
	if len(req.Hard) == 0 { // checked before the quota is looked up, as in Harbor
		return answer{}, errBadRequest("hard required in body")
	}
	p, e := s.quotaFromPath(r, "update")
	if e != nil {
		return answer{}, e
	}
	for _, k := range slices.Sorted(maps.Keys(req.Hard)) { // Harbor's order is a map's; harbortest's is fixed
		if k != "storage" {
			return answer{}, errBadRequest(fmt.Sprintf("resource %s not support", k))
		}
		if v := req.Hard[k]; v <= 0 && v != -1 {
			return answer{}, errBadRequest(fmt.Sprintf("invalid non-positive value for quota limit, value=%d", v))
		}
	}
	p.storageLimit = req.Hard["storage"]
	s.state.quotaUpdated[p.id] = s.now()
	return reply(nil)
}
