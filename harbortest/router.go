package harbortest

import (
	"net/http"
	"net/url"
	"strings"
)

// route dispatches a request to its handler.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	if path == "/c/login" {
		s.login(w, r)
		return
	}
	if !strings.HasPrefix(path, apiPrefix+"/") {
		writeError(w, errNotFound("resource not found: "+r.URL.Path))
		return
	}
	var seg []string
	for _, p := range strings.Split(strings.Trim(strings.TrimPrefix(path, apiPrefix), "/"), "/") {
		u, err := url.PathUnescape(p)
		if err != nil {
			u = p
		}
		seg = append(seg, u)
	}
	m := r.Method
	type h = func(http.ResponseWriter, *http.Request)
	var handler h
	allowed := func(methods map[string]h) {
		if f, ok := methods[m]; ok {
			handler = f
			return
		}
		handler = func(w http.ResponseWriter, r *http.Request) {
			writeError(w, &apiError{http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "method " + m + " is not allowed"})
		}
	}
	n := len(seg)
	switch {
	case n == 1 && seg[0] == "ping":
		allowed(map[string]h{"GET": s.ping})
	case n == 1 && seg[0] == "systeminfo":
		allowed(map[string]h{"GET": s.systemInfo})
	case n == 1 && seg[0] == "health":
		allowed(map[string]h{"GET": s.health})
	case n == 1 && seg[0] == "permissions":
		allowed(map[string]h{"GET": s.permissions})
	case n == 1 && seg[0] == "configurations":
		allowed(map[string]h{"GET": s.configurations})
	case n == 1 && seg[0] == "statistics":
		allowed(map[string]h{"GET": s.statistics})
	case n == 1 && seg[0] == "users":
		allowed(map[string]h{"GET": s.listUsers, "POST": s.createUser})
	case n == 2 && seg[0] == "users" && seg[1] == "current":
		allowed(map[string]h{"GET": s.currentUser})
	case n == 3 && seg[0] == "users" && seg[1] == "current" && seg[2] == "permissions":
		allowed(map[string]h{"GET": s.currentUserPermissions})
	case n == 1 && seg[0] == "projects":
		allowed(map[string]h{"GET": s.listProjects, "POST": s.createProject, "HEAD": s.headProject})
	case n == 2 && seg[0] == "projects":
		p := seg[1]
		allowed(map[string]h{
			"GET":    func(w http.ResponseWriter, r *http.Request) { s.getProject(w, r, p) },
			"DELETE": func(w http.ResponseWriter, r *http.Request) { s.deleteProject(w, r, p) },
		})
	case n == 3 && seg[0] == "projects" && seg[2] == "summary":
		p := seg[1]
		allowed(map[string]h{"GET": func(w http.ResponseWriter, r *http.Request) { s.projectSummary(w, r, p) }})
	case n == 1 && seg[0] == "robots":
		allowed(map[string]h{"GET": s.listRobots, "POST": s.createRobot})
	case n == 2 && seg[0] == "robots":
		id := seg[1]
		allowed(map[string]h{
			"GET":    func(w http.ResponseWriter, r *http.Request) { s.getRobot(w, r, id) },
			"PUT":    func(w http.ResponseWriter, r *http.Request) { s.updateRobot(w, r, id) },
			"PATCH":  func(w http.ResponseWriter, r *http.Request) { s.refreshRobotSecret(w, r, id) },
			"DELETE": func(w http.ResponseWriter, r *http.Request) { s.deleteRobot(w, r, id) },
		})
	case n == 1 && seg[0] == "audit-logs":
		allowed(map[string]h{"GET": s.listAuditLogs})
	default:
		if _, pattern := s.tmpMux().Handler(r); pattern != "" {
			s.tmpMux().ServeHTTP(w, r)
			return
		}
		writeError(w, errNotFound("resource not found: "+r.URL.Path))
		return
	}
	handler(w, r)
}
