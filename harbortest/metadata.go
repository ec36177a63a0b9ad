package harbortest

import (
	"cmp"
	"maps"
	"strconv"
	"strings"
)

// metadataState remembers the projects whose "public" key was deleted: Harbor
// then shows no "public" key at all (b111). The other keys live in
// project.metadata, "public" in project.public.
type metadataState struct {
	noPublic map[int64]bool
}

func (st *state) metadataState() *metadataState {
	return lazy(&st.metadata, func() *metadataState { return &metadataState{noPublic: map[int64]bool{}} })
}

// projectMetadata returns a copy of p's metadata, "public" included, safe
// to encode after s.mu is released. Callers hold s.mu.
func (s *Server) projectMetadata(p *project) map[string]string {
	out := maps.Clone(p.metadata)
	if !s.state.metadataState().noPublic[p.id] {
		out["public"] = strconv.FormatBool(p.public)
	}
	return out
}

// setProjectMetadata sets a validated metadata key of p ("" removes it).
func (s *Server) setProjectMetadata(p *project, key, value string) {
	switch {
	case key == "public":
		p.public = value == "true"
		s.state.metadataState().noPublic[p.id] = value == ""
	case value == "":
		delete(p.metadata, key)
	default:
		p.metadata[key] = value
	}
}

// boolMetadata are the keys the metadata API accepts besides "severity";
// others (retention_id, reuse_sys_cve_allowlist, ...) are set through other
// APIs and refused here as "invalid key".
var boolMetadata = map[string]bool{
	"public": true, "enable_content_trust": true, "enable_content_trust_cosign": true,
	"prevent_vul": true, "auto_scan": true, "auto_sbom_generation": true,
}

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

// onProjectDeleted drops what the other resources keep for p (making a
// state that was not made yet costs nothing: it starts empty).
func (s *Server) onProjectDeleted(p *project) {
	st := s.state
	delete(st.metadataState().noPublic, p.id)
	delete(st.memberState().groups, p.id)
	maps.DeleteFunc(st.memberState().ids, func(k memberKey, _ int64) bool { return k.project == p.id })
	delete(st.quotaUpdated, p.id)
	delete(st.immutableState().byProject, p.id)
	maps.DeleteFunc(st.webhookState().policies, func(_ int64, wp *webhookPolicy) bool { return wp.ProjectID == p.id })
	maps.DeleteFunc(st.retentionState().policies, func(_ int64, rp *retentionPolicy) bool { return rp.Scope.Ref == p.id })
	maps.DeleteFunc(st.labelState().byID, func(_ int64, l *label) bool { return l.projectID == p.id && l.scope == "p" })
	delete(st.scannerState().projectScanner, p.id)
}

func (s *Server) listProjectMetadatas(r *request) (answer, *apiError) {
	p, e := s.projectFromPath(r, r.id, "metadata", "list")
	return replyWith(p, e, s.projectMetadata)
}

// addProjectMetadatas adds one key; adding an existing key overwrites it (200).
func (s *Server) addProjectMetadatas(r *request, body *map[string]string) (answer, *apiError) {
	return s.putMetadata(r, *body, "create", "")
}

// updateProjectMetadata sets {meta_name} to the body's value for that key;
// a body naming another key is "invalid value: " as in Harbor.
func (s *Server) updateProjectMetadata(r *request, body *map[string]string) (answer, *apiError) {
	return s.putMetadata(r, *body, "update", pathParam(r, "meta_name"))
}

// putMetadata stores a body of one key/value pair: the body's key, or the
// body's value of key when key is given.
func (s *Server) putMetadata(r *request, body map[string]string, action, key string) (answer, *apiError) {
	if len(body) != 1 {
		return answer{}, errBadRequest("only allow one key/value pair")
	}
	p, e := s.projectFromPath(r, r.id, "metadata", action)
	if e != nil {
		return answer{}, e
	}
	for k := range body {
		key = cmp.Or(key, k)
	}
	v, e := validateMetadata(key, body[key])
	if e != nil {
		return answer{}, e
	}
	s.setProjectMetadata(p, key, v)
	return reply(nil)
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

// deleteProjectMetadata removes a key (200 even when unset). Removing
// "public" leaves the project without the key, and private.
func (s *Server) deleteProjectMetadata(r *request, p *project) (answer, *apiError) {
	s.setProjectMetadata(p, pathParam(r, "meta_name"), "")
	return reply(nil)
}
