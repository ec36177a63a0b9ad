package harbortest

import (
	"net/http"
	"sort"
	"time"
)

// auditLogRoutes serves the audit log operations.
func (s *Server) auditLogRoutes() []route {
	return []route{
		{"listAuditLogs", "GET", "/audit-logs", s.listAuditLogs},
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

// listAuditLogs lists seeded audit logs, newest first. Harbor v2.15 writes
// its own events to the audit-log-exts table, so this list starts empty.
func (s *Server) listAuditLogs(w http.ResponseWriter, r *http.Request) {
	pp, perr := parsePage(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	q, qerr := parseQuery(r)
	if qerr != nil {
		writeError(w, qerr)
		return
	}
	s.mu.Lock()
	id := s.authenticate(r)
	if !id.authenticated() {
		s.mu.Unlock()
		writeError(w, errUnauthorized())
		return
	}
	var logs []*auditLog
	if s.canSystem(id, "audit-log", "list") {
		for _, l := range s.state.auditLogs {
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
	setPagination(w, r, len(logs), pp)
	writeJSON(w, http.StatusOK, out)
}
