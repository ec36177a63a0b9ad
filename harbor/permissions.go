package harbor

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/harborkit/harbor-sdk-go/gen/client/permissions"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// Robot levels (RobotCreate.Level) and permission kinds (RobotPermission.Kind).
const (
	// LevelSystem is a system-level robot: its permissions may be of kind
	// KindSystem (namespace "/") and KindProject (any project, or "*").
	LevelSystem = "system"
	// LevelProject is a robot of one project, named robot$<project>+<name>.
	LevelProject = "project"
	// KindSystem is a permission on system resources; its namespace is "/".
	KindSystem = "system"
	// KindProject is a permission on a project's resources; its namespace is
	// the project name, or "*" for every project (system robots only).
	KindProject = "project"
	// NamespaceSystem is the namespace of every KindSystem permission.
	NamespaceSystem = "/"
	// NamespaceAllProjects is the namespace of a KindProject permission that
	// covers every project.
	NamespaceAllProjects = "*"
	// NeverExpires is the Duration of a robot that does not expire.
	NeverExpires int64 = -1
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
// project resources together (RobotPermissions returns the live catalogue
// that says which kind each belongs to).
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

// SystemRobot describes a system-level robot named name (without prefix)
// that lives durationDays days (NeverExpires for ever) with the given
// system-level access, ready for CreateRobot. Add project permissions to
// its Permissions as needed.
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

// CIAccess returns the access a CI pipeline's project robot needs: push
// and pull images, list and read artifacts, scan them (ScanAndWait) and
// read their vulnerability reports. Pass it to ProjectRobot:
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
// (src/server/v2.0/handler); a helper's error names it when Harbor answers
// 403 (see inVoice). Each helper's doc says the same.
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
// nil catalogue is an error saying so (it lists nothing, and every access
// would be reported as not offered).
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

// RobotPermissions returns the live catalogue of robot permissions from
// GET /permissions (administrators and robot managers may read it). Errors
// are *Error for Harbor's refusals. A nil ctx is an error.
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
