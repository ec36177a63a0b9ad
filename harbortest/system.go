package harbortest

import (
	"maps"
	"strings"
	"time"
)

// harborTime formats t the way Harbor's API does (UTC, milliseconds).
func harborTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// ping answers "Pong" as JSON to clients that accept JSON, else as plain text (b431-b433).
func (s *Server) ping(r *request) (answer, *apiError) {
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		return reply("Pong")
	}
	return reply(textBody("Pong"))
}

func (s *Server) systemInfo(r *request) (answer, *apiError) {
	info := map[string]any{
		"auth_mode": "db_auth", "banner_message": "", "oidc_provider_name": "",
		"primary_auth_mode": false, "self_registration": false}
	if !r.id.authenticated() {
		return reply(info)
	}
	// the address the client used: it works for that client, whatever the server is bound to
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	maps.Copy(info, map[string]any{"current_time": harborTime(s.now()), "external_url": scheme + "://" + r.Host,
		"harbor_version": "v2.15.2-080b0220", "has_ca_root": s.ts.Certificate() != nil, "notification_enable": true,
		"project_creation_restriction": "everyone", "read_only": false,
		"registry_storage_provider_name": "filesystem", "registry_url": r.Host})
	return reply(info)
}

func (s *Server) health(r *request) (answer, *apiError) {
	cs := mapped([]string{"core", "database", "jobservice", "portal", "redis", "registry", "registryctl"},
		func(n string) map[string]string { return map[string]string{"name": n, "status": "healthy"} })
	return reply(map[string]any{"components": cs, "status": "healthy"})
}

// permissions answers the whole catalog to a system administrator, its project part to a project admin.
func (s *Server) permissions(r *request) (answer, *apiError) {
	if !r.id.authenticated() {
		return answer{}, errAnonymous()
	}
	if r.id.sysAdmin() {
		return reply(verbatim(permissionCatalog + "\n"))
	}
	for _, p := range s.state.projects {
		if r.id.user != nil && p.members[r.id.user.id] == RoleProjectAdmin {
			return reply(map[string][]Access{"project": catalogue["project"]})
		}
	}
	return answer{}, errForbidden("forbidden: only admins(system and project) can access permissions") // set4
}

// statistics counts the private projects (and their repositories) a user is a member of (a robot
// none, p141) and the public ones; only a system administrator gets the totals, others 0 (b468).
func (s *Server) statistics(r *request) (answer, *apiError) {
	var pubP, privP, pubR, privR int
	for _, p := range s.state.projects {
		switch {
		case p.public:
			pubP++
			pubR += len(p.repos)
		case r.id.sysAdmin() || (r.id.user != nil && p.members[r.id.user.id] != 0):
			privP++
			privR += len(p.repos)
		}
	}
	out := map[string]any{"private_project_count": privP, "private_repo_count": privR,
		"public_project_count": pubP, "public_repo_count": pubR,
		"total_project_count": 0, "total_repo_count": 0, "total_storage_consumption": 0}
	if r.id.sysAdmin() {
		out["total_project_count"] = pubP + privP
		out["total_repo_count"] = pubR + privR
	}
	return reply(out)
}

// volumes answers like Harbor on filesystem storage it cannot measure: no total, no free (b239).
func (s *Server) volumes(r *request) (answer, *apiError) {
	return s.systemReply(r, "system-volumes", "read", map[string]any{"storage": []map[string]any{{}}})
}

// getCert serves a TLS server's CA certificate; a plain HTTP one has none, as Harbor without one (b241).
func (s *Server) getCert(r *request) (answer, *apiError) {
	pemBytes := s.CertPEM()
	if pemBytes == nil {
		return answer{}, errNotFound("resource not found: cert not found in path: /etc/core/ca/ca.crt")
	}
	r.header.Set("Content-Type", "application/octet-stream")
	r.header.Set("Content-Disposition", "attachment; filename=ca.crt")
	return reply(verbatim(pemBytes))
}
