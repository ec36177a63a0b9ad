package harbortest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// pathID reads an int64 path parameter with go-swagger's validation message.
func pathID(r *request, name string) (int64, *apiError) {
	return parseInt64(name, "path", pathParam(r, name))
}

// queryInt reads an optional int64 query parameter (0 if absent).
func queryInt(r *request, name string) (int64, *apiError) {
	if v := r.URL.Query().Get(name); v != "" {
		return parseInt64(name, "query", v)
	}
	return 0, nil
}

// parseInt64 reads v, the int64 parameter name in "path" or "query".
func parseInt64(name, in, v string) (int64, *apiError) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, errUnprocessable(fmt.Sprintf("%s in %s must be of type int64: %q", name, in, v))
	}
	return n, nil
}

// swaggerBool reads a boolean query parameter as go-swagger's
// swag.ConvertBool: absent is def, anything unknown false.
func swaggerBool(v string, def bool) bool {
	if v == "" {
		return def
	}
	return slices.Contains([]string{"true", "1", "yes", "ok", "y", "on", "selected", "checked", "t", "enabled"},
		strings.ToLower(v))
}

// projectFromPath resolves {project_name_or_id} and checks id's permission.
func (s *Server) projectFromPath(r *request, id identity, resource, action string) (*project, *apiError) {
	p, e := s.findProject(r, pathParam(r, "project_name_or_id"))
	if e == nil {
		e = s.requireProject(id, p, resource, action)
	}
	if e != nil {
		return nil, e
	}
	return p, nil
}

// roleActions are Harbor's role permissions for these resources
// (src/common/rbac/project/rbac_role.go). No role has metadata:list.
var roleActions = map[int]map[string]bool{
	RoleProjectAdmin: set("member:create", "member:read", "member:update", "member:delete", "member:list",
		"metadata:create", "metadata:read", "metadata:update", "metadata:delete", "quota:read",
		"label:create", "label:read", "label:update", "label:delete", "label:list",
		"tag-retention:create", "tag-retention:read", "tag-retention:update", "tag-retention:delete",
		"tag-retention:list", "tag-retention:operate",
		"immutable-tag:create", "immutable-tag:update", "immutable-tag:delete", "immutable-tag:list",
		"notification-policy:create", "notification-policy:update", "notification-policy:delete",
		"notification-policy:list", "notification-policy:read", "scanner:read", "scanner:create",
		"preheat-policy:create", "preheat-policy:read", "preheat-policy:update", "preheat-policy:delete",
		"preheat-policy:list"),
	RoleMaintainer: set("member:read", "member:list",
		"metadata:create", "metadata:read", "metadata:update", "metadata:delete", "quota:read",
		"label:create", "label:read", "label:update", "label:delete", "label:list",
		"tag-retention:create", "tag-retention:read", "tag-retention:update", "tag-retention:delete",
		"tag-retention:list", "tag-retention:operate",
		"immutable-tag:create", "immutable-tag:update", "immutable-tag:delete", "immutable-tag:list",
		"notification-policy:list", "scanner:read", "preheat-policy:read", "preheat-policy:list"),
	RoleDeveloper: set("member:read", "member:list", "label:read", "label:list", "quota:read",
		"tag-retention:create", "tag-retention:read", "tag-retention:update", "tag-retention:delete",
		"tag-retention:list", "tag-retention:operate", "scanner:read"),
	RoleGuest:        set("member:read", "member:list", "label:read", "label:list", "quota:read", "scanner:read"),
	RoleLimitedGuest: set("quota:read", "scanner:read"),
}

var roleResources = func() map[string]bool {
	m := map[string]bool{}
	for _, actions := range roleActions {
		for key := range actions {
			res, _, _ := strings.Cut(key, ":")
			m[res] = true
		}
	}
	return m
}()

func set(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}
