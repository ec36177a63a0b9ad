package harbortest

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// systemRoutes serves ping, systeminfo, health, permissions, configurations
// and statistics.
func (s *Server) systemRoutes() []route {
	return []route{
		{"getPing", "GET", "/ping", s.ping},
		{"getSystemInfo", "GET", "/systeminfo", s.systemInfo},
		{"getHealth", "GET", "/health", s.health},
		{"getPermissions", "GET", "/permissions", s.permissions},
		{"getConfigurations", "GET", "/configurations", s.configurations},
		{"getStatistic", "GET", "/statistics", s.statistics},
	}
}

// harborVersion is the version the server claims in /systeminfo.
const harborVersion = "v2.15.2-080b0220"

// harborTime formats t the way Harbor's API does (UTC, milliseconds).
func harborTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func (s *Server) ping(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, "Pong") }

func (s *Server) systemInfo(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	id := s.authenticate(r)
	s.mu.Unlock()
	info := map[string]any{
		"auth_mode": "db_auth", "banner_message": "", "oidc_provider_name": "",
		"primary_auth_mode": false, "self_registration": false,
	}
	if id.authenticated() {
		host := strings.TrimPrefix(strings.TrimPrefix(s.URL, "http://"), "https://")
		info["current_time"] = harborTime(s.now())
		info["external_url"] = s.URL
		info["harbor_version"] = harborVersion
		info["has_ca_root"] = false
		info["notification_enable"] = true
		info["project_creation_restriction"] = "everyone"
		info["read_only"] = false
		info["registry_storage_provider_name"] = "filesystem"
		info["registry_url"] = host
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) health(w http.ResponseWriter, _ *http.Request) {
	type component struct {
		Name   string `json:"name"`
		Status string `json:"status"`
	}
	var cs []component
	for _, n := range []string{"core", "database", "jobservice", "portal", "redis", "registry", "registryctl"} {
		cs = append(cs, component{n, "healthy"})
	}
	writeJSON(w, http.StatusOK, map[string]any{"components": cs, "status": "healthy"})
}

func (s *Server) permissions(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	id := s.authenticate(r)
	projectAdmin := false
	if id.user != nil {
		for _, p := range s.state.projects {
			if p.members[id.user.id] == roleProjectAdmin {
				projectAdmin = true
				break
			}
		}
	}
	s.mu.Unlock()
	if !id.authenticated() {
		writeError(w, errUnauthorized())
		return
	}
	if id.sysAdmin() {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(permissionCatalog + "\n"))
		return
	}
	if !projectAdmin {
		writeError(w, errForbidden("only admins(system and project) can access permissions"))
		return
	}
	var all map[string]json.RawMessage
	_ = json.Unmarshal([]byte(permissionCatalog), &all)
	writeJSON(w, http.StatusOK, map[string]json.RawMessage{"project": all["project"]})
}

func (s *Server) configurations(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	id := s.authenticate(r)
	s.mu.Unlock()
	if !id.authenticated() {
		writeError(w, errUnauthorized())
		return
	}
	if !id.sysAdmin() {
		writeError(w, errForbidden(id.name(s.cfg.robotPrefix)))
		return
	}
	var conf map[string]any
	_ = json.Unmarshal([]byte(configurationsJSON), &conf)
	conf["robot_name_prefix"] = map[string]any{"editable": true, "value": s.cfg.robotPrefix}
	writeJSON(w, http.StatusOK, conf)
}

func (s *Server) statistics(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.authenticate(r)
	if !id.authenticated() {
		writeError(w, errUnauthorized())
		return
	}
	var pubP, privP, pubR, privR int
	for _, p := range s.state.projects {
		if !p.public && !s.canProject(id, p, "project", "read") {
			continue
		}
		if p.public {
			pubP++
			pubR += len(p.repos)
		} else {
			privP++
			privR += len(p.repos)
		}
	}
	out := map[string]any{"private_project_count": privP, "private_repo_count": privR,
		"public_project_count": pubP, "public_repo_count": pubR}
	if id.sysAdmin() {
		out["total_project_count"] = pubP + privP
		out["total_repo_count"] = pubR + privR
		out["total_storage_consumption"] = 0
	}
	writeJSON(w, http.StatusOK, out)
}
