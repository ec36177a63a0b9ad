package harbortest

import (
	"cmp"
	"os"
	"slices"
	"sort"
	"strings"
	"time"
)

// jobTypes are the queues of Harbor v2.15.2's job service, in its order (b417).
var jobTypes = []string{"AUDIT_LOGS_GDPR_COMPLIANT", "EXECUTION_SWEEP", "GARBAGE_COLLECTION", "IMAGE_SCAN",
	"P2P_PREHEAT", "PURGE_AUDIT_LOG", "REPLICATION", "RETENTION", "SCAN_DATA_EXPORT", "SCHEDULER", "SLACK",
	"SYSTEM_ARTIFACT_CLEANUP", "WEBHOOK"}

// workerPool is the job service's one pool of 10 workers.
type workerPool struct {
	id      string
	started time.Time
	workers []string
}

func (m *moreState) workerPool(now time.Time) *workerPool {
	if m.pool == nil {
		m.pool = &workerPool{id: randomHex(12), started: now}
		for range 10 {
			m.pool.workers = append(m.pool.workers, randomHex(12))
		}
		sort.Strings(m.pool.workers)
	}
	return m.pool
}

// secondTime is harborTime at the precision of the job service (seconds).
func secondTime(t time.Time) string { return harborTime(t.Truncate(time.Second)) }

func (s *Server) getWorkerPools(r *request) (answer, *apiError) {
	now := s.now()
	pool := s.state.extra().workerPool(now)
	return reply([]map[string]any{{"concurrency": len(pool.workers), "heartbeat_at": secondTime(now),
		"pid": os.Getpid(), "start_at": secondTime(pool.started), "worker_pool_id": pool.id}})
}

// getWorkers lists the workers of pool_id or "all"; another id (the pid, b415) none.
func (s *Server) getWorkers(r *request) (answer, *apiError) {
	pool := s.state.extra().workerPool(s.now())
	out := []map[string]string{}
	if id := pathParam(r, "pool_id"); id == "all" || id == pool.id {
		for _, wk := range pool.workers {
			out = append(out, map[string]string{"id": wk, "pool_id": pool.id})
		}
	}
	return reply(out)
}

func (s *Server) listJobQueues(r *request) (answer, *apiError) {
	var out []map[string]any
	for _, t := range jobTypes {
		out = append(out, map[string]any{"job_type": t, "paused": s.state.extra().pausedQueues[t]})
	}
	return s.systemReply(r, "jobservice-monitor", "list", out)
}

// actionPendingJobs pauses, resumes or stops a queue, or all; an unknown job type changes nothing (b422).
func (s *Server) actionPendingJobs(r *request, req *actionReq) (answer, *apiError) {
	if req.Action != "" && !slices.Contains([]string{"stop", "pause", "resume"}, req.Action) { // go-swagger's enum
		return answer{}, errModel("action in body should be one of [stop pause resume]")
	}
	if e := s.requireSystem(r.id, "jobservice-monitor", "stop"); e != nil {
		return answer{}, e
	}
	if req.Action == "" { // not checked by the enum (set4)
		return answer{}, errBadRequest("bad request: the action is not supported")
	}
	jt := strings.ToUpper(pathParam(r, "job_type"))
	for _, t := range jobTypes {
		if (jt == t || jt == "ALL") && req.Action != "stop" {
			s.state.extra().pausedQueues[t] = req.Action == "pause"
		}
	}
	return reply(nil)
}

// stopRunningJob answers 200 for any job id, as Harbor for one not running (b423).
func (s *Server) stopRunningJob(r *request) (answer, *apiError) {
	return s.systemReply(r, "jobservice-monitor", "stop", nil)
}

// getJobLog answers Harbor's 500 for an unknown job (b424): all are here.
func (s *Server) getJobLog(r *request) (answer, *apiError) {
	return answer{}, cmp.Or(s.requireSystem(r.id, "jobservice-monitor", "list"), errInternal())
}
