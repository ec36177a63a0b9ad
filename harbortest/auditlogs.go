package harbortest

import (
	"sort"
	"strings"
	"time"
)

type auditLogJSON struct {
	ID           int64  `json:"id"`
	OpTime       string `json:"op_time"`
	Operation    string `json:"operation"`
	Resource     string `json:"resource"`
	ResourceType string `json:"resource_type"`
	Username     string `json:"username"`
}

type auditLogExtJSON struct {
	ID                   int64  `json:"id"`
	OpTime               string `json:"op_time"`
	Operation            string `json:"operation"`
	OperationDescription string `json:"operation_description"`
	OperationResult      bool   `json:"operation_result"`
	Resource             string `json:"resource"`
	ResourceType         string `json:"resource_type"`
	Username             string `json:"username"`
}

// auditEventTypes is GET /auditlog-exts/events of Harbor v2.15.2 (p154).
var auditEventTypes = []string{"create_artifact", "delete_artifact", "pull_artifact", "create_project",
	"delete_project", "delete_repository", "login_user", "logout_user", "create_user", "delete_user",
	"update_user", "create_robot", "delete_robot", "update_configuration"}

func (s *Server) listAuditLogEventTypes(r *request) (answer, *apiError) {
	if !r.id.authenticated() {
		return answer{}, errUnauthorized()
	}
	out := make([]map[string]string, 0, len(auditEventTypes))
	for _, e := range auditEventTypes {
		out = append(out, map[string]string{"event_type": e})
	}
	return reply(out)
}

// listAuditLogs lists seeded audit logs, newest first, to callers allowed to
// list the system's audit log; others get an empty list, like Harbor.
func (s *Server) listAuditLogs(r *request) (answer, *apiError) {
	return s.listLogs(r, func(identity) (string, *apiError) { return "", nil })
}

// listLogs lists legacy audit logs; scope checks the caller and returns the
// project whose entries to list ("" for all, for callers who may).
func (s *Server) listLogs(r *request, scope func(identity) (string, *apiError)) (answer, *apiError) {
	pp, q, e := logQuery(r)
	if e != nil {
		return answer{}, e
	}
	project, e := scope(r.id)
	if e != nil {
		return answer{}, e
	}
	var logs []*auditLog
	if project != "" || s.canSystem(r.id, "audit-log", "list") {
		for _, l := range s.state.auditLogs {
			if project == "" || strings.HasPrefix(l.resource, project+"/") || l.resource == project {
				logs = append(logs, l)
			}
		}
	}
	return logPage(r, pp, q, logs, func(l *auditLog) *auditLog { return l }, func(l *auditLog) any {
		return auditLogJSON{ID: l.id, OpTime: harborTime(l.opTime), Operation: l.operation,
			Resource: l.resource, ResourceType: l.resourceType, Username: l.username}
	})
}

// logQuery reads the page and q of an audit log list, which anonymous
// callers may not read.
func logQuery(r *request) (pageParams, *query, *apiError) {
	pp, q, e := parseList(r)
	if e == nil && !r.id.authenticated() {
		e = errUnauthorized()
	}
	return pp, q, e
}

// logPage answers a page of the audit log entries q matches, newest first
// unless q sorts them; base is an entry's common fields.
func logPage[T any](r *request, pp pageParams, q *query, all []T, base func(T) *auditLog, toJSON func(T) any) (answer, *apiError) {
	var logs []T
	for _, t := range all {
		l := base(t)
		if q.str("operation", l.operation) && q.str("resource", l.resource) &&
			q.str("resource_type", l.resourceType) && q.str("username", l.username) && q.time("op_time", l.opTime) {
			logs = append(logs, t)
		}
	}
	sort.SliceStable(logs, func(i, j int) bool { return base(logs[i]).id > base(logs[j]).id })
	sortItems(logs, q, map[string]func(a, b T) int{
		"op_time":       byTime(func(t T) time.Time { return base(t).opTime }),
		"id":            byInt(func(t T) int64 { return base(t).id }),
		"username":      byString(func(t T) string { return base(t).username }),
		"operation":     byString(func(t T) string { return base(t).operation }),
		"resource_type": byString(func(t T) string { return base(t).resourceType }),
	})
	return pageOf(r, logs, pp, toJSON)
}

// listAuditLogExts lists the whole v2.15 audit log to callers allowed to
// list the system's; others get an empty list (a project robot: p157).
func (s *Server) listAuditLogExts(r *request) (answer, *apiError) {
	return s.listLogExts(r, func(id identity) (int64, bool, *apiError) {
		return 0, s.canSystem(id, "audit-log", "list"), nil
	})
}

// listLogExts lists /auditlog-exts entries; scope checks the caller and
// returns the project to list (0: every entry) and whether to list at all.
func (s *Server) listLogExts(r *request, scope func(identity) (int64, bool, *apiError)) (answer, *apiError) {
	pp, q, e := logQuery(r)
	if e != nil {
		return answer{}, e
	}
	projectID, ok, e := scope(r.id)
	if e != nil {
		return answer{}, e
	}
	var logs []*auditLogExt
	for _, l := range s.state.auditExts {
		if ok && (projectID == 0 || l.projectID == projectID) {
			logs = append(logs, l)
		}
	}
	return logPage(r, pp, q, logs, func(l *auditLogExt) *auditLog { return &l.auditLog }, func(l *auditLogExt) any {
		return auditLogExtJSON{ID: l.id, OpTime: harborTime(l.opTime), Operation: l.operation,
			OperationDescription: l.description, OperationResult: l.result, Resource: l.resource,
			ResourceType: l.resourceType, Username: l.username}
	})
}
