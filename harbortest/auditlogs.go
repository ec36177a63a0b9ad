package harbortest

import (
	"net/http"
	"sort"
	"strings"
	"time"
)

// auditLogRoutes serves the legacy audit log (/audit-logs, seeded with
// AddAuditLog; Harbor v2.15 writes no new entries there) and the v2.15
// audit log (/auditlog-exts), which harbortest fills as Harbor does for
// projects, users, robots and configuration changes.
func (s *Server) auditLogRoutes() []route {
	return []route{
		{"listAuditLogs", "GET", "/audit-logs", s.listAuditLogs},
		{"listAuditLogExts", "GET", "/auditlog-exts", s.listAuditLogExts},
		{"listAuditLogEventTypes", "GET", "/auditlog-exts/events", s.listAuditLogEventTypes},
	}
}

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

func (s *Server) listAuditLogEventTypes(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	id := s.authenticate(r)
	s.mu.Unlock()
	if !id.authenticated() {
		writeError(w, errUnauthorized())
		return
	}
	out := make([]map[string]string, 0, len(auditEventTypes))
	for _, e := range auditEventTypes {
		out = append(out, map[string]string{"event_type": e})
	}
	writeJSON(w, http.StatusOK, out)
}

// listAuditLogs lists seeded audit logs, newest first, to callers allowed to
// list the system's audit log; others get an empty list, like Harbor.
func (s *Server) listAuditLogs(w http.ResponseWriter, r *http.Request) {
	s.listLogs(w, r, func(identity) (string, *apiError) { return "", nil })
}

// listLogs lists legacy audit logs; scope checks the caller and returns the
// project whose entries to list ("" for all, for callers who may).
func (s *Server) listLogs(w http.ResponseWriter, r *http.Request, scope func(identity) (string, *apiError)) {
	pp, q, le := parseList(r)
	if le != nil {
		writeError(w, le)
		return
	}
	s.mu.Lock()
	id := s.authenticate(r)
	if !id.authenticated() {
		s.mu.Unlock()
		writeError(w, errUnauthorized())
		return
	}
	project, e := scope(id)
	if e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	var logs []*auditLog
	if project != "" || s.canSystem(id, "audit-log", "list") {
		for _, l := range s.state.auditLogs {
			if project != "" && !strings.HasPrefix(l.resource, project+"/") && l.resource != project {
				continue
			}
			if q.str("operation", l.operation) && q.str("resource", l.resource) &&
				q.str("resource_type", l.resourceType) && q.str("username", l.username) && q.time("op_time", l.opTime) {
				logs = append(logs, l)
			}
		}
	}
	sort.SliceStable(logs, func(i, j int) bool { return logs[i].id > logs[j].id })
	sortItems(logs, q, map[string]func(a, b *auditLog) int{
		"op_time":   byTime(func(l *auditLog) time.Time { return l.opTime }),
		"id":        byInt(func(l *auditLog) int64 { return l.id }),
		"username":  byString(func(l *auditLog) string { return l.username }),
		"operation": byString(func(l *auditLog) string { return l.operation }),
	})
	start, end := pp.bounds(len(logs))
	out := make([]auditLogJSON, 0, end-start)
	for _, l := range logs[start:end] {
		out = append(out, auditLogJSON{ID: l.id, OpTime: harborTime(l.opTime), Operation: l.operation,
			Resource: l.resource, ResourceType: l.resourceType, Username: l.username})
	}
	s.mu.Unlock()
	setPagination(w.Header(), r, len(logs), pp)
	writeJSON(w, http.StatusOK, out)
}

// listAuditLogExts lists the whole v2.15 audit log to callers allowed to
// list the system's; others get an empty list (a project robot: p157).
func (s *Server) listAuditLogExts(w http.ResponseWriter, r *http.Request) {
	s.listLogExts(w, r, func(id identity) (int64, bool, *apiError) {
		return 0, s.canSystem(id, "audit-log", "list"), nil
	})
}

// listLogExts lists /auditlog-exts entries; scope checks the caller and
// returns the project to list (0: every entry) and whether to list at all.
func (s *Server) listLogExts(w http.ResponseWriter, r *http.Request, scope func(identity) (int64, bool, *apiError)) {
	pp, q, le := parseList(r)
	if le != nil {
		writeError(w, le)
		return
	}
	s.mu.Lock()
	id := s.authenticate(r)
	if !id.authenticated() {
		s.mu.Unlock()
		writeError(w, errUnauthorized())
		return
	}
	projectID, ok, e := scope(id)
	if e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	var logs []*auditLogExt
	for _, l := range s.state.auditExts {
		if !ok || (projectID != 0 && l.projectID != projectID) {
			continue
		}
		if q.str("operation", l.operation) && q.str("resource", l.resource) &&
			q.str("resource_type", l.resourceType) && q.str("username", l.username) && q.time("op_time", l.opTime) {
			logs = append(logs, l)
		}
	}
	sort.SliceStable(logs, func(i, j int) bool { return logs[i].id > logs[j].id })
	sortItems(logs, q, map[string]func(a, b *auditLogExt) int{
		"op_time":       byTime(func(l *auditLogExt) time.Time { return l.opTime }),
		"id":            byInt(func(l *auditLogExt) int64 { return l.id }),
		"username":      byString(func(l *auditLogExt) string { return l.username }),
		"operation":     byString(func(l *auditLogExt) string { return l.operation }),
		"resource_type": byString(func(l *auditLogExt) string { return l.resourceType }),
	})
	start, end := pp.bounds(len(logs))
	out := make([]auditLogExtJSON, 0, end-start)
	for _, l := range logs[start:end] {
		out = append(out, auditLogExtJSON{ID: l.id, OpTime: harborTime(l.opTime), Operation: l.operation,
			OperationDescription: l.description, OperationResult: l.result, Resource: l.resource,
			ResourceType: l.resourceType, Username: l.username})
	}
	s.mu.Unlock()
	setPagination(w.Header(), r, len(logs), pp)
	writeJSON(w, http.StatusOK, out)
}
