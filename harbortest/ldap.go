package harbortest

import (
	"cmp"
	"net/http"
)

// With no LDAP server configured, Harbor's LDAP operations fail: a ping
// answers 500 with an empty body without a body (b434), "error: empty
// password" without ldap_search_password (b435, nothing is configured to
// fall back on) and a network timeout otherwise (b436); searches and
// imports are internal errors (cmp.Or: the first error that is not nil).

type ldapPingReq = struct {
	Password string `json:"ldap_search_password"`
}

func (s *Server) pingLdap(r *request, conf *ldapPingReq) (answer, *apiError) {
	if conf == nil { // Harbor's handler reads the optional body without checking it
		return answer{status: http.StatusInternalServerError}, nil
	}
	if conf.Password == "" {
		return reply(map[string]string{"message": "error: empty password"})
	}
	return reply(map[string]string{"message": "error: ldap server network timeout"})
}

func (s *Server) searchLdap(resource, action string) handler {
	return func(r *request) (answer, *apiError) {
		return answer{}, cmp.Or(s.requireSystem(r.id, resource, action), errInternal())
	}
}

type ldapImportReq = struct {
	UIDs []string `json:"ldap_uid_list"`
}

func (s *Server) importLdapUser(r *request, _ *ldapImportReq) (answer, *apiError) {
	return answer{}, cmp.Or(s.requireSystem(r.id, "ldap-user", "create"), errInternal())
}
