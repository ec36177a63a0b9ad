package harbortest

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// InternalSecret returns the secret Harbor's own components call it with ("Authorization:
// Harbor-Secret <secret>"): only they may read /internalconfig, others (admin too) get a 401.
func (s *Server) InternalSecret() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.extra().secret
}

func (s *Server) getInternalConfig(r *request) (answer, *apiError) {
	given, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Harbor-Secret ")
	if !ok || subtle.ConstantTimeCompare([]byte(given), []byte(s.state.extra().secret)) != 1 {
		return answer{}, errStatus(http.StatusUnauthorized, "only internal service is allowed to call this API")
	}
	out := map[string]map[string]any{}
	for k, def := range defaultConfig {
		out[k] = map[string]any{"editable": def["editable"] == true, "value": s.state.configured(k)}
	}
	return reply(out)
}
