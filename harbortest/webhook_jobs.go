package harbortest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// The executions, tasks, task logs and deprecated jobs of webhook
// deliveries, as Harbor v2.15.2 shows them (captures w179-w227, w253).

type hookExecutionJSON struct {
	EndTime    string            `json:"end_time"`
	ExtraAttrs map[string]string `json:"extra_attrs"`
	ID         int64             `json:"id"`
	Metrics    map[string]int    `json:"metrics"`
	StartTime  string            `json:"start_time"`
	Status     string            `json:"status"`
	Trigger    string            `json:"trigger"`
	VendorID   int64             `json:"vendor_id"`
	VendorType string            `json:"vendor_type"`
}

type hookTaskJSON struct {
	CreationTime string `json:"creation_time"`
	EndTime      string `json:"end_time"`
	ExecutionID  int64  `json:"execution_id"`
	ID           int64  `json:"id"`
	RunCount     int    `json:"run_count"`
	StartTime    string `json:"start_time"`
	Status       string `json:"status"`
	UpdateTime   string `json:"update_time"`
}

type hookJobJSON struct {
	CreationTime string `json:"creation_time"`
	EventType    string `json:"event_type"`
	ID           int64  `json:"id"`
	JobDetail    string `json:"job_detail"`
	NotifyType   string `json:"notify_type"`
	PolicyID     int64  `json:"policy_id"`
	Status       string `json:"status"`
	UpdateTime   string `json:"update_time"`
}

// secTime is the time format of executions and tasks: whole seconds.
func secTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// execStatus is the execution's status and end time. Harbor's lags one attempt
// behind a failing task: Running after the first failure, then Error with
// the end of the previous attempt (w220, w223, w226).
func (ex *hookExecution) execStatus() (status string, end time.Time) {
	switch {
	case ex.status == "Success":
		return "Success", ex.end
	case ex.status == "Error" && ex.runs > 1:
		return "Error", ex.prevEnd
	}
	return "Running", time.Time{}
}

func (ex *hookExecution) toJSON() hookExecutionJSON {
	status, end := ex.execStatus()
	metric := map[string]string{"Running": "running_task_count", "Success": "success_task_count", "Error": "error_task_count"}[ex.status]
	return hookExecutionJSON{EndTime: secTime(end), ExtraAttrs: map[string]string{"event_type": ex.eventType, "payload": ex.payload},
		ID: ex.id, Metrics: map[string]int{metric: 1, "task_count": 1}, StartTime: secTime(ex.created), Status: status,
		Trigger: "EVENT", VendorID: ex.policyID, VendorType: ex.vendor}
}

// policyExecutions returns the policy's executions, newest first. Callers hold s.mu.
func (s *Server) policyExecutions(wp *webhookPolicy) (out []*hookExecution) {
	for _, ex := range slices.Backward(s.hookState().executions) {
		if ex.policyID == wp.ID {
			out = append(out, ex)
		}
	}
	return out
}

func (s *Server) listWebhookExecutions(r *request) (answer, *apiError) {
	pp, lq, e := parseList(r)
	if e != nil {
		return answer{}, e
	}
	_, wp, e := s.webhookFromPath(r, "list")
	if e != nil {
		return answer{}, e
	}
	var out []hookExecutionJSON
	for _, ex := range s.policyExecutions(wp) {
		if lq.num("id", ex.id) {
			out = append(out, ex.toJSON())
		}
	}
	return page(r, out, pp)
}

// webhookExecution resolves {execution_id} within the path's policy.
func (s *Server) webhookExecution(r *request, action string) (*hookExecution, *apiError) {
	_, wp, e := s.webhookFromPath(r, action)
	if e != nil {
		return nil, e
	}
	eid, e := pathID(r, "execution_id")
	if e != nil {
		return nil, e
	}
	for _, ex := range s.policyExecutions(wp) {
		if ex.id == eid {
			return ex, nil
		}
	}
	return nil, errNotFound(fmt.Sprintf("execution %d not found", eid))
}

func (s *Server) listWebhookTasks(r *request) (answer, *apiError) {
	pp, e := parsePage(r)
	if e != nil {
		return answer{}, e
	}
	ex, e := s.webhookExecution(r, "list")
	if e != nil {
		return answer{}, e
	}
	end := ex.end
	if ex.runs == 0 {
		end = time.Time{}
	}
	return page(r, []hookTaskJSON{{CreationTime: secTime(ex.created), EndTime: secTime(end), ExecutionID: ex.id,
		ID: ex.taskID, RunCount: max(ex.runs, 1), StartTime: secTime(ex.start), Status: ex.status,
		UpdateTime: secTime(later(ex.end, ex.created))}}, pp)
}

func (s *Server) getWebhookTaskLog(r *request) (answer, *apiError) {
	ex, e := s.webhookExecution(r, "read")
	if e != nil {
		return answer{}, e
	}
	tid, e := pathID(r, "task_id")
	if e != nil {
		return answer{}, e
	}
	if tid != ex.taskID {
		return answer{}, errNotFound(fmt.Sprintf("task %d not found", tid))
	}
	return reply(textBody(ex.log))
}

// listWebhookJobs is the deprecated jobs list: policy_id is required.
func (s *Server) listWebhookJobs(r *request) (answer, *apiError) {
	pp, e := parsePage(r)
	if e != nil {
		return answer{}, e
	}
	if r.URL.Query().Get("policy_id") == "" {
		return answer{}, errUnprocessable("policy_id in query is required")
	}
	pid, e := queryInt(r, "policy_id")
	if e != nil {
		return answer{}, e
	}
	p, e := s.projectFromPath(r, r.id, "notification-policy", "list")
	if e != nil {
		return answer{}, e
	}
	var out []hookJobJSON
	if wp := s.state.webhookState().policies[pid]; wp != nil && wp.projectID == p.id {
		for _, ex := range s.policyExecutions(wp) {
			status, _ := ex.execStatus()
			out = append(out, hookJobJSON{CreationTime: harborTime(ex.created), EventType: ex.eventType, ID: ex.id,
				JobDetail: ex.payload, NotifyType: map[string]string{"WEBHOOK": "http", "SLACK": "slack"}[ex.vendor],
				PolicyID: pid, Status: status, UpdateTime: harborTime(later(ex.end, ex.created))})
		}
	}
	return page(r, out, pp)
}

// lastTriggerTime is when the policy last queued an event of type ev.
// Callers hold s.mu.
func (s *Server) lastTriggerTime(policyID int64, ev string) string {
	return harborTime(s.hookState().lastTrigger[strconv.FormatInt(policyID, 10)+" "+ev])
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// deleteExecutionsLocked deletes wp's executions, as Harbor does when the
// policy is deleted, unless one is not final yet (b307). Callers hold s.mu.
func (s *Server) deleteExecutionsLocked(wp *webhookPolicy) *apiError {
	hs := s.hookState()
	kept := []*hookExecution{}
	for _, ex := range hs.executions {
		if ex.policyID != wp.ID {
			kept = append(kept, ex)
		} else if st, _ := ex.execStatus(); st == "Running" {
			return &apiError{http.StatusPreconditionFailed, "UNKNOWN", fmt.Sprintf("failed to delete executions for webhook of policy %d: contains executions that aren't in final status, stop the execution first", wp.ID)}
		}
	}
	hs.executions = kept
	return nil
}
