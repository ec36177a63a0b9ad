package harbor

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/harborkit/harbor-sdk-go/gen/models"
)

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
	}
	if rc.Level != LevelSystem && rc.Level != LevelProject {
		return bad("level", "%q must be %q or %q", rc.Level, LevelSystem, LevelProject)
	}
	if rc.Duration != NeverExpires && (rc.Duration <= 0 || rc.Duration >= 1<<31-1) {
		return bad("duration", "%d must be -1 (never expires) or a positive number of days", rc.Duration)
	}
	if len(rc.Permissions) == 0 {
		return bad("permissions", "at least one permission is needed")
	}
	for i, p := range rc.Permissions {
		field := func(suffix string) string { return "permissions[" + strconv.Itoa(i) + "]" + suffix }
		if p == nil {
			return bad(field(""), "is nil")
		}
		switch p.Kind {
		case KindSystem:
			if rc.Level != LevelSystem {
				return bad(field(".kind"), "%q needs level %q", p.Kind, LevelSystem)
			}
			if p.Namespace != NamespaceSystem {
				return bad(field(".namespace"), "%q: a system permission's namespace is %q", p.Namespace, NamespaceSystem)
			}
		case KindProject:
			if p.Namespace == "" {
				return bad(field(".namespace"), "is empty: name the project")
			}
			if rc.Level == LevelProject && p.Namespace == NamespaceAllProjects {
				return bad(field(".namespace"), "%q is for system robots only", p.Namespace)
			}
		default:
			return bad(field(".kind"), "%q must be %q or %q", p.Kind, KindSystem, KindProject)
		}
		if len(p.Access) == 0 {
			return bad(field(".access"), "is empty")
		}
		for j, a := range p.Access {
			af := func() string { return field(".access[" + strconv.Itoa(j) + "]") }
			if a == nil || a.Resource == "" || a.Action == "" {
				return bad(af(), "needs a resource and an action")
			}
			if a.Effect != "" && a.Effect != "allow" && a.Effect != "deny" {
				return bad(af()+".effect", "%q must be \"allow\", \"deny\" or empty", a.Effect)
			}
		}
	}
	if rc.Level == LevelProject {
		if len(rc.Permissions) != 1 || rc.Permissions[0].Kind != KindProject {
			return bad("permissions", "a project robot has exactly one permission, of kind %q", KindProject)
		}
	}
	if rc.Secret != "" {
		if err := ValidateRobotSecret(rc.Secret); err != nil {
			return bad("secret", "%v", err)
		}
	}
	return nil
}

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
