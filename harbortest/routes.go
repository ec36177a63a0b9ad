package harbortest

//go:generate go run ../internal/cmd/harbortest-ops -spec ../swagger.yaml -out operations.go

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// route is one operation of swagger.yaml that harbortest serves.
type route struct {
	op      string // operationId in swagger.yaml, e.g. "listProjects"
	method  string // "GET", "POST", ...
	path    string // path template from swagger.yaml under /api/v2.0, e.g. "/projects/{project_name_or_id}/members"
	handler any    // a handler, or an http.HandlerFunc-shaped method not yet converted
}

// operation is one operation of swagger.yaml (see operations.go, generated).
type operation struct {
	id, method, path string
}

// routes lists every operation harbortest serves. Each resource file defines
// its own xxxRoutes function; keep this list in alphabetical order, one line
// per resource.
func (s *Server) routes() []route {
	var rs []route
	for _, part := range [][]route{
		s.artifactRoutes(),
		s.allowlistRoutes(),
		s.auditLogRoutes(),
		s.configurationRoutes(),
		s.gcRoutes(),
		s.iconRoutes(),
		s.immutableRoutes(),
		s.internalConfigRoutes(),
		s.jobServiceRoutes(),
		s.labelRoutes(),
		s.ldapRoutes(),
		s.memberRoutes(),
		s.metadataRoutes(),
		s.oidcRoutes(),
		s.preheatRoutes(),
		s.projectRoutes(),
		s.quotaRoutes(),
		s.registryRoutes(),
		s.replicationRoutes(),
		s.repositoryRoutes(),
		s.retentionRoutes(),
		s.robotRoutes(),
		s.scanRoutes(), s.securityHubRoutes(),
		s.scanAllRoutes(),
		s.scanExportRoutes(),
		s.scannerRoutes(),
		s.scheduleRoutes(),
		s.searchRoutes(),
		s.systemRoutes(),
		s.userGroupRoutes(),
		s.userRoutes(),
		s.webhookRoutes(),
	} {
		rs = append(rs, part...)
	}
	return rs
}

// pathParam returns the path parameter name of r, unescaped once more than
// r.PathValue does. Clients escape a nested repository name twice
// ("team%252Fapp", so that the "/" survives routing) and Harbor unescapes it
// again; a name sent escaped once ("team%2Fapp") or not at all ("tools")
// comes out the same. Use it for every path parameter: ids, project names
// and references contain no "%", so unescaping them again changes nothing.
func pathParam(r *http.Request, name string) string {
	v := r.PathValue(name)
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

// muxPattern turns a swagger path template into a ServeMux pattern under
// /api/v2.0. Swagger's {name} wildcards are ServeMux wildcards as they are;
// a trailing slash (".../metadatas/") is matched exactly ("{$}"), not as a
// subtree, and the same path without the slash is registered beside it.
func muxPatterns(method, path string) []string {
	if strings.HasSuffix(path, "/") {
		return []string{
			method + " " + apiPrefix + path + "{$}",
			method + " " + apiPrefix + strings.TrimSuffix(path, "/"),
		}
	}
	return []string{method + " " + apiPrefix + path}
}

// methodOrder is the order in which a 405 answer lists the allowed methods.
// Harbor's (go-swagger's) order comes from a map and varies; this fixed one
// reproduces the recorded answer ("[DELETE,PUT,GET]").
var methodOrder = map[string]int{"DELETE": 0, "PUT": 1, "PATCH": 2, "POST": 3, "HEAD": 4, "GET": 5}

// newMux builds the router: every served route, a 501 for every other
// operation of swagger.yaml, Harbor's 405 for a known path with another
// method, Harbor's 404 for any other path, and the UI's /c/login.
func (s *Server) newMux() *http.ServeMux {
	mux := http.NewServeMux()
	byID := map[string]operation{}
	for _, op := range operations {
		byID[op.id] = op
	}
	served := map[string]bool{}
	for _, rt := range s.routes() {
		if op := byID[rt.op]; op.method != rt.method || op.path != rt.path || served[rt.op] {
			panic("harbortest: route " + rt.op + " " + rt.method + " " + rt.path +
				" is not an operation of swagger.yaml or is served twice")
		}
		served[rt.op] = true
		for _, p := range muxPatterns(rt.method, rt.path) {
			mux.Handle(p, exactMethod(rt.method, s.serve(rt.handler)))
		}
	}
	allowed := map[string][]string{} // path template -> methods
	for _, op := range operations {
		allowed[op.path] = append(allowed[op.path], op.method)
		if served[op.id] {
			continue
		}
		for _, p := range muxPatterns(op.method, op.path) {
			mux.Handle(p, exactMethod(op.method, notImplemented(op)))
		}
	}
	// A request no pattern above matches: a known path with another method
	// (405) or an unknown path (404).
	other := http.NewServeMux()
	for path, methods := range allowed {
		sort.Slice(methods, func(i, j int) bool { return methodOrder[methods[i]] < methodOrder[methods[j]] })
		for _, p := range muxPatterns("", path) {
			other.Handle(strings.TrimSpace(p), methodNotAllowed(methods))
		}
	}
	other.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errNotFound("resource not found: "+r.URL.Path))
	})
	mux.Handle("/", other)
	mux.HandleFunc("/c/login", s.login)
	return mux
}

// serve wraps a route's handler in the adapter.
func (s *Server) serve(h any) http.Handler {
	switch h := h.(type) {
	case func(*request) (answer, *apiError):
		return s.adapt(h)
	case http.HandlerFunc:
		return s.serve((func(http.ResponseWriter, *http.Request))(h))
	case func(http.ResponseWriter, *http.Request):
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if s.readBody(w, r) {
				h(w, r)
			}
		})
	}
	panic("harbortest: a route's handler has the wrong type")
}

// exactMethod keeps a GET route from answering HEAD (ServeMux lets a GET
// pattern match HEAD; Harbor answers 405).
func exactMethod(method string, h http.Handler) http.Handler {
	if method != http.MethodGet {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			methodNotAllowed([]string{method})(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// notImplemented answers an operation of swagger.yaml that harbortest does
// not serve: 501, never a Harbor-looking 404.
func notImplemented(op operation) http.HandlerFunc {
	msg := "harbortest does not implement " + op.id + " (" + op.method + " " + op.path + ")"
	return func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, &apiError{http.StatusNotImplemented, "NOT_IMPLEMENTED", msg})
	}
}

// methodNotAllowed answers like Harbor: 405 METHOD_NOT_ALLOWED "method PATCH
// is not allowed, but [DELETE,PUT,GET] are".
func methodNotAllowed(methods []string) http.HandlerFunc {
	list := "[" + strings.Join(methods, ",") + "]"
	return func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &apiError{http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED",
			"method " + r.Method + " is not allowed, but " + list + " are"})
	}
}
