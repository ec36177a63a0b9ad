package harbortest

import "net/http"

// With no LDAP server configured, Harbor's LDAP operations fail: a ping without a body is 500
// with an empty body (b434), with no ldap_search_password "error: empty password" (nothing to
// fall back on, b435), else a network timeout (b436); searches and imports are internal errors.

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

// noLdap answers an LDAP search or import once its access is checked.
func noLdap(*request) (answer, *apiError) { return answer{}, errInternal() }

type ldapImportReq = struct {
	UIDs []string `json:"ldap_uid_list"`
}

func importLdapUser(r *request, _ *ldapImportReq) (answer, *apiError) { return noLdap(r) }
