package harbortest

// Temporary until the htcore router lands: the same route type, and a mux
// over this branch's routes that router.go falls back to. Deleted on merge.

import (
	"net/http"
	"sync"
)

type route struct {
	op      string
	method  string
	path    string
	handler http.HandlerFunc
}

var tmpMuxes sync.Map // *Server -> *http.ServeMux

func (s *Server) tmpMux() *http.ServeMux {
	if m, ok := tmpMuxes.Load(s); ok {
		return m.(*http.ServeMux)
	}
	m := http.NewServeMux()
	var all []route
	all = append(all, s.repositoryRoutes()...)
	all = append(all, s.artifactRoutes()...)
	all = append(all, s.scanRoutes()...)
	for _, rt := range all {
		m.HandleFunc(rt.method+" "+apiPrefix+rt.path, rt.handler)
	}
	v, _ := tmpMuxes.LoadOrStore(s, m)
	return v.(*http.ServeMux)
}
