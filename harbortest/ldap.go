package harbortest

import (
	"net/http"
)

type ldapPingResultJSON struct {
	Message string `json:"message,omitempty"`
	Success bool   `json:"success,omitempty"`
}

// pingLdap answers 500 with an empty body without a body (b434), "error:
// empty password" without ldap_search_password (b435, nothing is
// configured to fall back on) and a network timeout otherwise (b436).
func (s *Server) pingLdap(r *request) (answer, *apiError) {
	if e := s.requireSystem(r.id, "configuration", "read"); e != nil {
		return answer{}, e
	}
	var conf struct {
		Password string `json:"ldap_search_password"`
	}
	if e := decodeBody(r, &conf, "ldapconf"); e != nil {
		return answer{status: http.StatusInternalServerError}, nil
	}
	msg := "error: ldap server network timeout"
	if conf.Password == "" {
		msg = "error: empty password"
	}
	return reply(ldapPingResultJSON{Message: msg})
}

func (s *Server) searchLdap(resource, action string) handler {
	return func(r *request) (answer, *apiError) {
		if e := s.requireSystem(r.id, resource, action); e != nil {
			return answer{}, e
		}
		return answer{}, errInternal()
	}
}

func (s *Server) importLdapUser(r *request) (answer, *apiError) {
	if e := s.requireSystem(r.id, "ldap-user", "create"); e != nil {
		return answer{}, e
	}
	var req struct {
		UIDs []string `json:"ldap_uid_list"`
	}
	if e := decodeBody(r, &req, "uid_list"); e != nil {
		return answer{}, e
	}
	return answer{}, errInternal()
}
