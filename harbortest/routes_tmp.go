package harbortest

import (
	"net/http"
	"strings"
	"sync"
)

// route is one operation of swagger.yaml that harbortest serves.
// TEMPORARY copy of htcore's contract; deleted when htcore's router is merged.
type route struct {
	op      string           // operationId in swagger.yaml, e.g. "listProjects"
	method  string           // "GET", "POST", ...
	path    string           // path template from swagger.yaml under /api/v2.0
	handler http.HandlerFunc // reads path parameters with r.PathValue("project_name_or_id")
}

// resRoutes lists the routes of the resource handlers of this branch.
func (s *Server) resRoutes() []route {
	var out []route
	for _, f := range []func() []route{
		s.memberRoutes, s.metadataRoutes, s.labelRoutes, s.quotaRoutes, s.registryRoutes,
		s.replicationRoutes, s.retentionRoutes, s.immutableRoutes, s.webhookRoutes,
		s.scannerRoutes, s.allowlistRoutes, s.gcRoutes,
	} {
		out = append(out, f()...)
	}
	return out
}

var (
	resMuxOnce sync.Map // *Server -> *http.ServeMux
)

// serveRes serves r if one of resRoutes matches it (temporary wiring).
func (s *Server) serveRes(w http.ResponseWriter, r *http.Request) bool {
	v, ok := resMuxOnce.Load(s)
	if !ok {
		mux := http.NewServeMux()
		for _, rt := range s.resRoutes() {
			p := rt.path
			if strings.HasSuffix(p, "/") {
				p += "{$}"
			}
			mux.HandleFunc(rt.method+" "+apiPrefix+p, rt.handler)
		}
		v, _ = resMuxOnce.LoadOrStore(s, mux)
	}
	mux := v.(*http.ServeMux)
	if _, pat := mux.Handler(r); pat == "" {
		return false
	}
	mux.ServeHTTP(w, r)
	return true
}
