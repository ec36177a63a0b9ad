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
		{"getVolumes", "GET", "/systeminfo/volumes", s.volumes},
		{"getCert", "GET", "/systeminfo/getcert", s.getCert},
		{"getStatistic", "GET", "/statistics", s.statistics},
	}
}

// harborVersion is the version the server claims in /systeminfo.
const harborVersion = "v2.15.2-080b0220"

// harborTime formats t the way Harbor's API does (UTC, milliseconds).
func harborTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// ping answers "Pong" as JSON to clients that accept JSON and as plain text
// to the others, like Harbor (b431-b433).
func (s *Server) ping(w http.ResponseWriter, r *http.Request) {
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		writeJSON(w, http.StatusOK, "Pong")
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte("Pong"))
}

func (s *Server) systemInfo(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	id := s.authenticate(r)
	s.mu.Unlock()
	info := map[string]any{
		"auth_mode": "db_auth", "banner_message": "", "oidc_provider_name": "",
		"primary_auth_mode": false, "self_registration": false,
	}
	if id.authenticated() {
		// the address the client used, so a server bound to 0.0.0.0 or
		// reached through a name reports what works for that client
		host, scheme := r.Host, "http"
		if r.TLS != nil {
			scheme = "https"
		}
		info["current_time"] = harborTime(s.now())
		info["external_url"] = scheme + "://" + host
		info["harbor_version"] = harborVersion
		info["has_ca_root"] = s.ts.Certificate() != nil
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

// statistics counts projects and repositories. Private projects count for
// the projects a user is a member of (a robot sees none, p141); the totals
// are only a system administrator's, others get 0 (b468).
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
		switch {
		case p.public:
			pubP++
			pubR += len(p.repos)
		case id.sysAdmin() || (id.user != nil && p.members[id.user.id] != 0):
			privP++
			privR += len(p.repos)
		}
	}
	out := map[string]any{"private_project_count": privP, "private_repo_count": privR,
		"public_project_count": pubP, "public_repo_count": pubR,
		"total_project_count": 0, "total_repo_count": 0, "total_storage_consumption": 0}
	if id.sysAdmin() {
		out["total_project_count"] = pubP + privP
		out["total_repo_count"] = pubR + privR
	}
	writeJSON(w, http.StatusOK, out)
}

// volumes answers like Harbor on filesystem storage it cannot measure
// (b239): one storage entry without total and free.
func (s *Server) volumes(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	id := s.authenticate(r)
	e := s.requireSystem(id, "system-volumes", "read")
	s.mu.Unlock()
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"storage": []map[string]any{{}}})
}

// getCert serves the CA certificate of a TLS server; a plain HTTP server has
// none and answers like Harbor without one (b241).
func (s *Server) getCert(w http.ResponseWriter, r *http.Request) {
	pemBytes := s.CertPEM()
	if pemBytes == nil {
		writeError(w, errNotFound("resource not found: cert not found in path: /etc/core/ca/ca.crt"))
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", "attachment; filename=ca.crt")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pemBytes)
}
