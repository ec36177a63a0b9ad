package harbortest

import (
	"net/http"
	"strings"
)

// oidcRoutes serves the OIDC endpoint check.
func (s *Server) oidcRoutes() []route {
	return []route{
		{"pingOIDC", "POST", "/system/oidc/ping", s.pingOIDC},
	}
}

// pingOIDC checks the endpoint like Harbor: 200 when
// <url>/.well-known/openid-configuration answers 2xx, else 400 "failed to
// verify connection" (b440). harbortest really makes that request, so a test
// can point it at an httptest server of its own.
func (s *Server) pingOIDC(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.lockedSystem(w, r, "configuration", "update"); !ok {
		return
	}
	s.mu.Unlock()
	var req struct {
		URL string `json:"url"`
	}
	if e := decodeBody(r, &req, "endpoint"); e != nil {
		writeError(w, e)
		return
	}
	if req.URL == "" || !probe(r.Context(), strings.TrimSuffix(req.URL, "/")+"/.well-known/openid-configuration") {
		writeError(w, errBadRequest("failed to verify connection"))
		return
	}
	w.WriteHeader(http.StatusOK)
}
