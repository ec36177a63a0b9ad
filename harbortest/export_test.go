package harbortest

import (
	"net/http"
	"strings"
)

// ServedOperations returns the operationIds s serves.
func ServedOperations(s *Server) map[string]bool {
	return servedBy(s)
}

// OperationMatcher finds the operation of swagger.yaml a request is for.
type OperationMatcher struct{ mux *http.ServeMux }

// NewOperationMatcher routes every operation of swagger.yaml, like the server.
func NewOperationMatcher() *OperationMatcher {
	mux := http.NewServeMux()
	for _, op := range operations {
		for _, p := range muxPatterns(op.method, op.path) {
			mux.Handle(p, opHandler{op.id, op.path})
		}
	}
	return &OperationMatcher{mux}
}

type opHandler struct{ id, path string }

func (opHandler) ServeHTTP(http.ResponseWriter, *http.Request) {}

// Match returns the operationId and path template of r, or ok=false.
// A trailing slash is dropped first, as the server does.
func (m *OperationMatcher) Match(r *http.Request) (id, template string, ok bool) {
	if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
		u := *r.URL
		u.Path = strings.TrimSuffix(p, "/")
		r = &http.Request{Method: r.Method, URL: &u, Host: r.Host}
	}
	h, _ := m.mux.Handler(r)
	oh, ok := h.(opHandler)
	return oh.id, oh.path, ok
}

// servedBy returns the operationIds s serves.
func servedBy(s *Server) map[string]bool {
	out := map[string]bool{}
	for id := range s.handlers() {
		out[id] = true
	}
	return out
}
