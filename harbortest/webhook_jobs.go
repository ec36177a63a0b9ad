package harbortest

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// The executions, tasks, logs and deprecated jobs of webhook deliveries (captures w179-w227, w253).

// execStatus is the execution's status and end. Harbor's lags one attempt behind a failing task:
// Running after the first failure, then Error with the previous attempt's end (w220, w223, w226).
func (ex *hookExecution) execStatus() (status string, end time.Time) {
	switch {
	case ex.status == "Success":
		return "Success", ex.end
	case ex.status == "Error" && ex.runs > 1:
		return "Error", ex.prevEnd
	}
	return "Running", time.Time{}
}

// toJSON is Harbor's Execution of one webhook delivery, like preheat's.
func (ex *hookExecution) toJSON() map[string]any {
	status, end := ex.execStatus()
	metric := map[string]string{"Running": "running_task_count", "Success": "success_task_count", "Error": "error_task_count"}[ex.status]
	return map[string]any{"end_time": rfc3339(end), "extra_attrs": map[string]string{"event_type": ex.eventType, "payload": ex.payload},
		"id": ex.id, "metrics": map[string]int{metric: 1, "task_count": 1}, "start_time": rfc3339(ex.created), "status": status,
		"trigger": "EVENT", "vendor_id": ex.policyID, "vendor_type": ex.vendor}
}

// policyExecutions returns the policy's executions, newest first. Callers hold s.mu.
func (s *Server) policyExecutions(wp *webhookPolicy) (out []*hookExecution) {
	for _, ex := range slices.Backward(s.state.webhookState().executions) {
		if ex.policyID == wp.ID {
			out = append(out, ex)
		}
	}
	return out
}

func (s *Server) listWebhookExecutions(r *request, pp pageParams, lq *query) (answer, *apiError) {
	wp, e := s.webhookFromPath(r, "list")
	if e != nil {
		return answer{}, e
	}
	exs := slices.DeleteFunc(s.policyExecutions(wp), func(ex *hookExecution) bool { return !lq.num("id", ex.id) })
	return pageOf(r, exs, pp, (*hookExecution).toJSON)
}

// webhookExecution resolves {execution_id} within the path's policy.
func (s *Server) webhookExecution(r *request, action string) (*hookExecution, *apiError) {
	wp, e := s.webhookFromPath(r, action)
	if e != nil {
		return nil, e
	}
	eid, e := pathID(r, "execution_id")
	exs := s.policyExecutions(wp)
	if i := slices.IndexFunc(exs, func(ex *hookExecution) bool { return ex.id == eid }); e == nil && i >= 0 {
		return exs[i], nil
	}
	return nil, cmp.Or(e, errNotFound(fmt.Sprintf("execution %d not found", eid)))
}

func (s *Server) listWebhookTasks(r *request, ex *hookExecution, pp pageParams) (answer, *apiError) {
	return page(r, []map[string]any{{"creation_time": rfc3339(ex.created), "end_time": rfc3339(ex.end), "execution_id": ex.id,
		"id": ex.taskID, "run_count": max(ex.runs, 1), "start_time": rfc3339(ex.start), "status": ex.status,
		"update_time": rfc3339(later(ex.end, ex.created))}}, pp)
}

func (s *Server) getWebhookTaskLog(r *request, ex *hookExecution) (answer, *apiError) {
	if tid, e := pathID(r, "task_id"); e != nil || tid != ex.taskID {
		return answer{}, cmp.Or(e, errNotFound(fmt.Sprintf("task %d not found", tid)))
	}
	return reply(textBody(ex.log))
}

// listWebhookJobs is the deprecated jobs list: policy_id is required.
func (s *Server) listWebhookJobs(r *request, pp pageParams) (answer, *apiError) {
	pid, e := queryInt(r, "policy_id")
	if r.URL.Query().Get("policy_id") == "" {
		e = errUnprocessable("policy_id in query is required")
	}
	if e != nil {
		return answer{}, e
	}
	p, e := s.projectFromPath(r, r.id, "notification-policy", "list")
	if e != nil {
		return answer{}, e
	}
	var out []map[string]any
	if wp := s.state.webhookState().policies[pid]; wp != nil && wp.ProjectID == p.id {
		for _, ex := range s.policyExecutions(wp) {
			status, _ := ex.execStatus()
			out = append(out, map[string]any{"creation_time": harborTime(ex.created), "event_type": ex.eventType, "id": ex.id,
				"job_detail": ex.payload, "notify_type": map[string]string{"WEBHOOK": "http", "SLACK": "slack"}[ex.vendor],
				"policy_id": pid, "status": status, "update_time": harborTime(later(ex.end, ex.created))})
		}
	}
	return page(r, out, pp)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
