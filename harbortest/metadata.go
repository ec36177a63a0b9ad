package harbortest

import (
	"maps"
	"strconv"
	"strings"
)

// projectMetadata returns a copy (safe once s.mu is released) of p's metadata and public.
func (s *Server) projectMetadata(p *project) map[string]string {
	out := maps.Clone(p.metadata)
	if !p.noPublic {
		out["public"] = strconv.FormatBool(p.public)
	}
	return out
}

// setProjectMetadata sets a validated metadata key of p ("" removes it).
func (s *Server) setProjectMetadata(p *project, key, value string) {
	switch {
	case key == "public":
		p.public, p.noPublic = value == "true", value == ""
	case value == "":
		delete(p.metadata, key)
	default:
		p.metadata[key] = value
	}
}

// boolMetadata are the keys besides "severity" the metadata API takes; others
// (retention_id, reuse_sys_cve_allowlist, ...) are set elsewhere: "invalid key".
var boolMetadata = set("public", "enable_content_trust", "enable_content_trust_cosign",
	"prevent_vul", "auto_scan", "auto_sbom_generation")

// validateMetadata checks a key/value as Harbor does; it returns the value as stored.
func validateMetadata(key, value string) (string, *apiError) {
	switch {
	case boolMetadata[key]:
		b, err := strconv.ParseBool(value)
		if err != nil {
			return "", errBadRequest("invalid value: " + value)
		}
		return strconv.FormatBool(b), nil
	case key == "severity":
		switch v := strings.ToLower(value); v {
		case "none", "low", "medium", "high", "critical":
			return v, nil
		}
		return "", errBadRequest("invalid value: " + value)
	}
	return "", errBadRequest("invalid key: " + key)
}

// onProjectDeleted drops what other resources keep for p (a state not made yet starts empty).
func (s *Server) onProjectDeleted(p *project) {
	st := s.state
	delete(st.memberState().groups, p.id)
	maps.DeleteFunc(st.memberState().ids, func(k memberKey, _ int64) bool { return k.project == p.id })
	delete(st.quotaUpdated, p.id)
	delete(st.immutableState().byProject, p.id)
	maps.DeleteFunc(st.webhookState().policies, func(_ int64, wp *webhookPolicy) bool { return wp.ProjectID == p.id })
	maps.DeleteFunc(st.retentionState().policies, func(_ int64, rp *retentionPolicy) bool { return rp.Scope.Ref == p.id })
	maps.DeleteFunc(st.labelState().byID, func(_ int64, l *label) bool { return l.projectID == p.id && l.scope == "p" })
	delete(st.scannerState().projectScanner, p.id)
}

func (s *Server) listProjectMetadatas(r *request, p *project) (answer, *apiError) {
	return reply(s.projectMetadata(p))
}

// putMetadata makes the handler storing one key/value pair after the access
// check, as Harbor: POST the body's one pair (an existing key is overwritten,
// 200), PUT {meta_name}'s value in the body, other keys ignored (set4/u006).
// No body is an empty one (u005, u009).
func (s *Server) putMetadata(action string) func(*request, *map[string]string) (answer, *apiError) {
	return func(r *request, body *map[string]string) (answer, *apiError) {
		p, e := s.projectFromPath(r, r.id, "metadata", action)
		if e != nil {
			return answer{}, e
		}
		meta := map[string]string{}
		setIf(&meta, body)
		key := pathParam(r, "meta_name")
		if key != "" {
			meta = map[string]string{key: meta[key]}
		}
		if len(meta) != 1 {
			return answer{}, errBadRequest("only allow one key/value pair")
		}
		for k := range meta {
			key = k
		}
		v, e := validateMetadata(key, meta[key])
		if e == nil {
			s.setProjectMetadata(p, key, v)
		}
		return replyOr[any](nil, e)
	}
}

// getProjectMetadata answers {"key":"value"}, or {} for an unset key.
func (s *Server) getProjectMetadata(r *request, p *project) (answer, *apiError) {
	name := pathParam(r, "meta_name")
	out := map[string]string{}
	if v, ok := s.projectMetadata(p)[name]; ok {
		out[name] = v
	}
	return reply(out)
}

// deleteProjectMetadata removes a key, 200 even when unset; without "public" p is private.
func (s *Server) deleteProjectMetadata(r *request, p *project) (answer, *apiError) {
	s.setProjectMetadata(p, pathParam(r, "meta_name"), "")
	return reply(nil)
}
