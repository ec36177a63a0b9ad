package harbortest

import "net/http"

// internalConfigRoutes serves the configuration as Harbor's components read
// it: every item with its current value, for system administrators only.
func (s *Server) internalConfigRoutes() []route {
	return []route{
		{"getInternalconfig", "GET", "/internalconfig", s.getInternalConfig},
	}
}

type internalConfigValueJSON struct {
	Editable bool `json:"editable"`
	Value    any  `json:"value"`
}

func (s *Server) getInternalConfig(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	id := s.authenticate(r)
	if e := s.requireSysAdmin(id); e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	out := map[string]internalConfigValueJSON{}
	for k, item := range defaultConfig {
		v := item["value"]
		if cur, ok := s.state.config[k]; ok {
			v = cur
		}
		editable, _ := item["editable"].(bool)
		out[k] = internalConfigValueJSON{Editable: editable, Value: v}
	}
	if item, ok := out["robot_name_prefix"]; ok {
		item.Value = s.state.robotPrefix
		out["robot_name_prefix"] = item
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}
