package harbor

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/harborkit/harbor-sdk-go/gen/client/permissions"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// Robot levels (RobotCreate.Level) and permission kinds (RobotPermission.Kind).
const (
	LevelSystem                = "system"  // permissions of kind KindSystem and KindProject
	LevelProject               = "project" // one project's robot, named robot$<project>+<name>
	KindSystem                 = "system"  // on system resources, namespace NamespaceSystem
	KindProject                = "project" // on a project's resources, namespace the project's name
	NamespaceSystem            = "/"       // of every KindSystem permission
	NamespaceAllProjects       = "*"       // a KindProject permission on every project (system robots only)
	NeverExpires         int64 = -1        // the Duration of a robot that does not expire
)

// Actions, as GET /permissions lists them in Harbor v2.15.2.
const (
	ActionCreate = "create"
	ActionDelete = "delete"
	ActionList   = "list"
	ActionPull   = "pull"
	ActionPush   = "push"
	ActionRead   = "read"
	ActionStop   = "stop"
	ActionUpdate = "update"
)

// Resources, as GET /permissions lists them in Harbor v2.15.2, system and
// project together (RobotPermissions says which kind each belongs to).
const (
	ResourceAccessory          = "accessory"
	ResourceArtifact           = "artifact"
	ResourceArtifactAddition   = "artifact-addition"
	ResourceArtifactLabel      = "artifact-label"
	ResourceAuditLog           = "audit-log"
	ResourceCatalog            = "catalog"
	ResourceExportCVE          = "export-cve"
	ResourceGarbageCollection  = "garbage-collection"
	ResourceImmutableTag       = "immutable-tag"
	ResourceJobserviceMonitor  = "jobservice-monitor"
	ResourceLabel              = "label"
	ResourceLDAPUser           = "ldap-user"
	ResourceLog                = "log"
	ResourceMember             = "member"
	ResourceMetadata           = "metadata"
	ResourceNotificationPolicy = "notification-policy"
	ResourcePreheatInstance    = "preheat-instance"
	ResourcePreheatPolicy      = "preheat-policy"
	ResourceProject            = "project"
	ResourcePurgeAudit         = "purge-audit"
	ResourceQuota              = "quota"
	ResourceRegistry           = "registry"
	ResourceReplication        = "replication"
	ResourceReplicationAdapter = "replication-adapter"
	ResourceReplicationPolicy  = "replication-policy"
	ResourceRepository         = "repository"
	ResourceRobot              = "robot"
	ResourceSBOM               = "sbom"
	ResourceScan               = "scan"
	ResourceScanAll            = "scan-all"
	ResourceScanner            = "scanner"
	ResourceSecurityHub        = "security-hub"
	ResourceSystemVolumes      = "system-volumes"
	ResourceTag                = "tag"
	ResourceTagRetention       = "tag-retention"
	ResourceUser               = "user"
	ResourceUserGroup          = "user-group"
)

// Allow is one allowed action on a resource, for a robot permission.
func Allow(resource, action string) *models.Access {
	return &models.Access{Resource: resource, Action: action}
}

// SystemPermission is a KindSystem permission (namespace "/") with the given access.
func SystemPermission(access ...*models.Access) *models.RobotPermission {
	return &models.RobotPermission{Kind: KindSystem, Namespace: NamespaceSystem, Access: access}
}

// ProjectPermission is a KindProject permission on project (a name, or
// NamespaceAllProjects) with the given access.
func ProjectPermission(project string, access ...*models.Access) *models.RobotPermission {
	return &models.RobotPermission{Kind: KindProject, Namespace: project, Access: access}
}

// SystemRobot describes a system robot named name (without prefix) that
// lives durationDays days (or NeverExpires) with the given system access,
// ready for CreateRobot; add project permissions to its Permissions.
func SystemRobot(name string, durationDays int64, access ...*models.Access) *models.RobotCreate {
	return &models.RobotCreate{Name: name, Level: LevelSystem, Duration: durationDays,
		Permissions: []*models.RobotPermission{SystemPermission(access...)}}
}

// ProjectRobot describes a robot of one project, named name (Harbor names
// it robot$<project>+<name>), with the given access on that project.
func ProjectRobot(project, name string, durationDays int64, access ...*models.Access) *models.RobotCreate {
	return &models.RobotCreate{Name: name, Level: LevelProject, Duration: durationDays,
		Permissions: []*models.RobotPermission{ProjectPermission(project, access...)}}
}

// CIAccess returns the access a CI pipeline's project robot needs: push,
// pull, list and read artifacts, scan them and read their reports:
//
//	harbor.ProjectRobot("ci", "builder", 30, harbor.CIAccess()...)
func CIAccess() []*models.Access {
	return []*models.Access{
		Allow(ResourceRepository, ActionPush), Allow(ResourceRepository, ActionPull),
		Allow(ResourceArtifact, ActionList), Allow(ResourceArtifact, ActionRead),
		Allow(ResourceScan, ActionCreate), Allow(ResourceArtifactAddition, ActionRead),
	}
}

// helperNeeds is the access each facade helper needs, as Harbor checks it
// (src/server/v2.0/handler); a helper's error on a 403 names it.
var helperNeeds = map[string]string{
	"CreateRobot":             "robot:create (system, or on the project for a project robot)",
	"FindRobot":               "robot:list, and project:read for a project robot",
	"DeleteRobot":             "robot:list and robot:delete (and project:read for a project robot)",
	"RefreshRobotSecret":      "robot:update (a robot may refresh its own secret)",
	"RotateCredentialsFile":   "robot:read and robot:update",
	"RobotPermissions":        "a system or project administrator's account",
	"EnsureProject":           "project:create (system) to create it, project:read to find it",
	"DeleteProject":           "project:delete, and repository:list and repository:delete to delete its repositories",
	"GetArtifact":             "artifact:read",
	"DeleteArtifact":          "artifact:delete",
	"DeleteUntaggedArtifact":  "artifact:read and artifact:delete",
	"ArtifactAddition":        "artifact-addition:read",
	"VulnerabilitiesAddition": "artifact-addition:read",
	"VulnerabilityReport":     "artifact-addition:read and artifact:read",
	"ScanArtifact":            "scan:create",
	"WaitForScan":             "artifact:read and artifact-addition:read",
	"ScanAndWait":             "scan:create, artifact:read and artifact-addition:read (harbor.CIAccess has them)",
	"WalkArtifacts":           "repository:list and artifact:list (and artifact-addition:read with Reports)",
}

// PermissionCatalogue is what GET /permissions lists: the access a robot
// may be given, by kind.
type PermissionCatalogue struct {
	System  []*models.Permission
	Project []*models.Permission
}

// Allows reports whether the catalogue lists action on resource for kind
// (false for a nil catalogue).
func (pc *PermissionCatalogue) Allows(kind, resource, action string) bool {
	if pc == nil {
		return false
	}
	list := pc.Project
	if kind == KindSystem {
		list = pc.System
	}
	return slices.ContainsFunc(list, func(p *models.Permission) bool {
		return p != nil && p.Resource == resource && p.Action == action
	})
}

// Check returns an error naming the first access of rc that the catalogue
// does not list, or nil. A nil rc is an error matching ErrInvalidRobot; a
// nil catalogue is an error.
func (pc *PermissionCatalogue) Check(rc *models.RobotCreate) error {
	if pc == nil {
		return errors.New("harbor: PermissionCatalogue.Check: the catalogue is nil (read it with Client.RobotPermissions)")
	}
	if rc == nil {
		return fmt.Errorf("%w: the robot description is nil", ErrInvalidRobot)
	}
	for i, p := range rc.Permissions {
		if p == nil {
			continue
		}
		for j, a := range p.Access {
			if a != nil && !pc.Allows(p.Kind, a.Resource, a.Action) {
				return fmt.Errorf("%w: permissions[%d].access[%d]: %s:%s is not a %s permission this Harbor offers (GET /permissions)",
					ErrInvalidRobot, i, j, a.Resource, a.Action, p.Kind)
			}
		}
	}
	return nil
}

// RobotPermissions returns the live catalogue of robot permissions (GET
// /permissions). Harbor's refusals are *Error. A nil ctx is an error.
//
// Needs a system or project administrator's account.
func (c *Client) RobotPermissions(ctx context.Context) (_ *PermissionCatalogue, err error) {
	defer inVoice("RobotPermissions", &err)
	if err := checkContext(ctx, "RobotPermissions"); err != nil {
		return nil, err
	}
	res, err := c.api.Permissions.GetPermissions(ctx, permissions.NewGetPermissionsParams())
	if err != nil {
		return nil, err
	}
	pc := &PermissionCatalogue{}
	if res.Payload != nil {
		pc.System, pc.Project = res.Payload.System, res.Payload.Project
	}
	return pc, nil
}

// robotNameRE is Harbor's rule for robot names (validateName in Harbor's
// src/server/v2.0/handler/robot.go).
var robotNameRE = regexp.MustCompile(`^[a-z0-9]+(?:[._-][a-z0-9]+)*$`)

// ValidateRobot checks rc the way Harbor would, without a request: name
// (lower case, Harbor's characters, no prefix), level, duration, at least one
// permission, kinds matching the level, namespace "/" for system
// permissions, and a chosen secret's strength. Errors match ErrInvalidRobot
// and name the field; they never contain the secret.
func ValidateRobot(rc *models.RobotCreate) error {
	if rc == nil {
		return fmt.Errorf("%w: the robot description is nil", ErrInvalidRobot)
	}
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrInvalidRobot, field, fmt.Sprintf(format, args...))
	}
	switch {
	case rc.Name == "":
		return bad("name", "is empty")
	case strings.Contains(rc.Name, "$") || strings.Contains(rc.Name, "+"):
		return bad("name", "%q: give the short name; Harbor adds the prefix (and project) itself", rc.Name)
	case !robotNameRE.MatchString(rc.Name):
		return bad("name", "%q must be lower case letters and digits, separated by single '.', '_' or '-'", rc.Name)
	case len(rc.Name) > 255:
		return bad("name", "is longer than 255 characters")
	case rc.Level != LevelSystem && rc.Level != LevelProject:
		return bad("level", "%q must be %q or %q", rc.Level, LevelSystem, LevelProject)
	case rc.Duration != NeverExpires && (rc.Duration <= 0 || rc.Duration >= 1<<31-1):
		return bad("duration", "%d must be -1 (never expires) or a positive number of days", rc.Duration)
	case len(rc.Permissions) == 0:
		return bad("permissions", "at least one permission is needed")
	}
	for i, p := range rc.Permissions {
		if p == nil {
			return bad(permField(i, ""), "is nil")
		}
		switch p.Kind {
		case KindSystem:
			if rc.Level != LevelSystem {
				return bad(permField(i, ".kind"), "%q needs level %q", p.Kind, LevelSystem)
			}
			if p.Namespace != NamespaceSystem {
				return bad(permField(i, ".namespace"), "%q: a system permission's namespace is %q", p.Namespace, NamespaceSystem)
			}
		case KindProject:
			if p.Namespace == "" {
				return bad(permField(i, ".namespace"), "is empty: name the project")
			}
			if rc.Level == LevelProject && p.Namespace == NamespaceAllProjects {
				return bad(permField(i, ".namespace"), "%q is for system robots only", p.Namespace)
			}
		default:
			return bad(permField(i, ".kind"), "%q must be %q or %q", p.Kind, KindSystem, KindProject)
		}
		if len(p.Access) == 0 {
			return bad(permField(i, ".access"), "is empty")
		}
		for j, a := range p.Access {
			if a == nil || a.Resource == "" || a.Action == "" {
				return bad(permField(i, fmt.Sprintf(".access[%d]", j)), "needs a resource and an action")
			}
			if a.Effect != "" && a.Effect != "allow" && a.Effect != "deny" {
				return bad(permField(i, fmt.Sprintf(".access[%d].effect", j)), "%q must be \"allow\", \"deny\" or empty", a.Effect)
			}
		}
	}
	if rc.Level == LevelProject && (len(rc.Permissions) != 1 || rc.Permissions[0].Kind != KindProject) {
		return bad("permissions", "a project robot has exactly one permission, of kind %q", KindProject)
	}
	if rc.Secret != "" {
		if err := ValidateRobotSecret(rc.Secret); err != nil {
			return bad("secret", "%v", err)
		}
	}
	return nil
}

// permField names a field of rc.Permissions[i] in ValidateRobot's errors.
func permField(i int, field string) string { return fmt.Sprintf("permissions[%d]%s", i, field) }

// ValidateRobotSecret checks a chosen robot secret against Harbor's rule: 8
// to 128 characters with at least one upper-case letter, one lower-case
// letter and one digit. Its error never contains the secret.
func ValidateRobotSecret(secret string) error {
	const upper, lower, digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz", "0123456789"
	if n := len(secret); n < 8 || n > 128 || !strings.ContainsAny(secret, upper) ||
		!strings.ContainsAny(secret, lower) || !strings.ContainsAny(secret, digits) {
		return errors.New("a secret must be 8-128 characters long with at least 1 upper-case letter, 1 lower-case letter and 1 digit")
	}
	return nil
}
