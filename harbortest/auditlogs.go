package harbortest

import (
	"sort"
	"strings"
	"time"
)

// auditLogJSON is an entry of /audit-logs, or of /auditlog-exts with description and result.
type auditLogJSON struct {
	ID                   int64   `json:"id"`
	OpTime               string  `json:"op_time"`
	Operation            string  `json:"operation"`
	OperationDescription *string `json:"operation_description,omitempty"`
	OperationResult      *bool   `json:"operation_result,omitempty"`
	Resource             string  `json:"resource"`
	ResourceType         string  `json:"resource_type"`
	Username             string  `json:"username"`
}

// logEntry is an entry of either audit log.
type logEntry interface {
	base() *auditLog
	inProject(p *project) bool
	toJSON() auditLogJSON
}

func (l *auditLog) base() *auditLog { return l }

// inProject: a legacy entry names its project only in its resource.
func (l *auditLog) inProject(p *project) bool {
	return l.resource == p.name || strings.HasPrefix(l.resource, p.name+"/")
}

func (l *auditLog) toJSON() auditLogJSON {
	return auditLogJSON{ID: l.id, OpTime: harborTime(l.opTime), Operation: l.operation,
		Resource: l.resource, ResourceType: l.resourceType, Username: l.username}
}

func (l *auditLogExt) inProject(p *project) bool { return l.projectID == p.id }

func (l *auditLogExt) toJSON() auditLogJSON {
	out := l.auditLog.toJSON()
	out.OperationDescription, out.OperationResult = &l.description, &l.result // encoded under the lock
	return out
}

// auditEventTypes is GET /auditlog-exts/events of Harbor v2.15.2 (p154).
var auditEventTypes = []string{"create_artifact", "delete_artifact", "pull_artifact", "create_project",
	"delete_project", "delete_repository", "login_user", "logout_user", "create_user", "delete_user",
	"update_user", "create_robot", "delete_robot", "update_configuration"}

func (s *Server) listAuditLogEventTypes(r *request) (answer, *apiError) {
	return reply(mapped(auditEventTypes, func(e string) map[string]string { return map[string]string{"event_type": e} }))
}

// listAuditLogs lists the seeded legacy audit log (Harbor v2.15 adds none, p152).
func (s *Server) listAuditLogs(r *request, pp pageParams, q *query) (answer, *apiError) {
	return listLogs(s, r, pp, q, s.state.auditLogs, nil)
}

func (s *Server) listAuditLogExts(r *request, pp pageParams, q *query) (answer, *apiError) {
	return listLogs(s, r, pp, q, s.state.auditExts, nil)
}

// listLogs answers signed-in callers a page of the entries q matches, newest first unless q
// sorts them: those of the project scope returns, or with scope nil all of them to callers
// who may list the system's audit log and none to others (a project robot: p157).
func listLogs[T logEntry](s *Server, r *request, pp pageParams, q *query, all []T,
	scope func(*request) (*project, *apiError)) (answer, *apiError) {
	switch {
	case !r.id.authenticated() && scope == nil: // the system log names the caller
		return answer{}, errAnonymous()
	case !r.id.authenticated():
		return answer{}, errUnauthorized()
	}
	var p *project
	if scope != nil {
		var e *apiError
		if p, e = scope(r); e != nil {
			return answer{}, e
		}
	}
	if p == nil && !s.canSystem(r.id, "audit-log", "list") {
		all = nil
	}
	var logs []T
	for _, t := range all {
		l := t.base()
		if (p == nil || t.inProject(p)) && q.str("operation", l.operation) && q.str("resource", l.resource) &&
			q.str("resource_type", l.resourceType) && q.str("username", l.username) && q.time("op_time", l.opTime) {
			logs = append(logs, t)
		}
	}
	sort.SliceStable(logs, func(i, j int) bool { return logs[i].base().id > logs[j].base().id })
	sortItems(logs, q, map[string]func(a, b T) int{
		"op_time":       byTime(func(t T) time.Time { return t.base().opTime }),
		"id":            byInt(func(t T) int64 { return t.base().id }),
		"username":      byString(func(t T) string { return t.base().username }),
		"operation":     byString(func(t T) string { return t.base().operation }),
		"resource_type": byString(func(t T) string { return t.base().resourceType }),
	})
	return pageOf(r, logs, pp, T.toJSON)
}
