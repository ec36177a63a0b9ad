package harbor

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/harborkit/harbor-sdk-go/credentials"
	"github.com/harborkit/harbor-sdk-go/gen/client/configure"
	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// ErrInvalidRobot matches (errors.Is) a robot description that Harbor would
// refuse, found before any request was sent. The error names the field.
var ErrInvalidRobot = errors.New("harbor: invalid robot")

// ErrRobotIncomplete matches (errors.Is) the error of CreateRobot when Harbor
// created the robot but a later step (setting the chosen secret, saving the
// credentials file) failed. The robot and a secret that works are returned
// with it: nothing is lost. See RobotIncompleteError.
var ErrRobotIncomplete = errors.New("harbor: robot created, but not every step succeeded")

// RobotOption tunes CreateRobot.
type RobotOption func(*robotOptions)

type robotOptions struct {
	path      string
	overwrite bool
	check     bool
}

// SaveCredentials makes CreateRobot save the new robot's credentials to path
// (see credentials.Save: mode 0600, atomic). The file is checked before the
// robot is created: it must not exist (unless OverwriteCredentials) and its
// directory must be writable.
func SaveCredentials(path string) RobotOption {
	return func(o *robotOptions) { o.path = path }
}

// OverwriteCredentials lets SaveCredentials replace an existing file.
func OverwriteCredentials() RobotOption {
	return func(o *robotOptions) { o.overwrite = true }
}

// CheckPermissions makes CreateRobot check every requested access against
// the server's catalogue (GET /permissions) before creating the robot.
func CheckPermissions() RobotOption {
	return func(o *robotOptions) { o.check = true }
}

// RobotIncompleteError is returned, with the created robot, when Harbor
// created a robot but a later step failed. Its message names the robot and
// the step, never the secret.
type RobotIncompleteError struct {
	// ID and Name identify the robot Harbor created.
	ID   int64
	Name string
	// Step is what failed: "set the chosen secret" or "save the credentials file".
	Step string
	// Err is the step's error.
	Err error
}

// Error describes the robot, the failed step and what the returned value holds.
func (e *RobotIncompleteError) Error() string {
	return fmt.Sprintf("harbor: robot %q (id %d) was created, but could not %s; the returned robot holds a secret that works: %v",
		e.Name, e.ID, e.Step, e.Err)
}

// Unwrap returns ErrRobotIncomplete and the step's error.
func (e *RobotIncompleteError) Unwrap() []error { return []error{ErrRobotIncomplete, e.Err} }

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
	var upper, lower, digit bool
	for _, r := range secret {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		}
	}
	if n := len(secret); n < 8 || n > 128 || !upper || !lower || !digit {
		return errors.New("a secret must be 8-128 characters long with at least 1 upper-case letter, 1 lower-case letter and 1 digit")
	}
	return nil
}

// CreateRobot creates a robot account through the generated
// robot.CreateRobot and returns it with its secret, which Harbor shows only
// this once. A system robot may hold permissions the web UI cannot grant,
// such as project:create.
//
// Before any request it validates rc (ValidateRobot; errors match
// ErrInvalidRobot) and, with SaveCredentials, checks that the file can be
// written (errors match fs.ErrExist, fs.ErrNotExist or fs.ErrPermission);
// on those errors no robot is created.
//
// Harbor ignores a secret sent on creation and generates one; when
// rc.Secret is set, CreateRobot sets it right after (PATCH /robots/{id}) and
// returns and saves that secret.
//
// Nothing is lost: if a step after creation fails, the robot is returned
// (with the secret that works now) together with a *RobotIncompleteError.
// Harbor's refusals are *Error (ErrConflict when the name is taken). A
// failure of the POST after it was sent matches ErrOutcomeUnknown: the robot
// may exist; FindRobot tells.
func (c *Client) CreateRobot(ctx context.Context, rc *models.RobotCreate, opts ...RobotOption) (*models.RobotCreated, error) {
	var o robotOptions
	for _, opt := range opts {
		opt(&o)
	}
	if err := ValidateRobot(rc); err != nil {
		return nil, err
	}
	if o.path != "" {
		if err := credentials.CheckWritable(o.path, o.overwrite); err != nil {
			return nil, fmt.Errorf("harbor: CreateRobot: credentials file: %w", err)
		}
	}
	if o.check {
		pc, err := c.RobotPermissions(ctx)
		if err != nil {
			return nil, fmt.Errorf("harbor: CreateRobot: reading the permission catalogue: %w", err)
		}
		if err := pc.Check(rc); err != nil {
			return nil, err
		}
	}
	chosen := rc.Secret
	body := *rc
	body.Secret = "" // Harbor ignores it; do not send a secret needlessly.
	res, err := c.api.Robot.CreateRobot(ctx, robot.NewCreateRobotParams().WithRobot(&body))
	if err != nil {
		return nil, c.wrap(err)
	}
	created := res.Payload
	if created == nil || created.Secret == "" {
		return nil, fmt.Errorf("harbor: CreateRobot: Harbor's answer (%s) holds no robot secret", res.Location)
	}
	if chosen != "" {
		if _, err := c.RefreshRobotSecret(ctx, created.ID, chosen); err != nil {
			return created, &RobotIncompleteError{ID: created.ID, Name: created.Name, Step: "set the chosen secret (the generated one is returned)", Err: err}
		}
		created.Secret = chosen
	}
	if o.path != "" {
		if c.beforeSave != nil {
			c.beforeSave()
		}
		var saveOpts []credentials.SaveOption
		if o.overwrite {
			saveOpts = append(saveOpts, credentials.Overwrite())
		}
		if err := credentials.Save(o.path, RobotCredentials(rc, created), saveOpts...); err != nil {
			return created, &RobotIncompleteError{ID: created.ID, Name: created.Name, Step: "save the credentials file", Err: err}
		}
	}
	return created, nil
}

// RobotCredentials builds the credentials file content for a robot created
// from rc: what Harbor returned (id, full name, secret, times) plus what was
// asked for (description, level, duration, permissions).
func RobotCredentials(rc *models.RobotCreate, created *models.RobotCreated) *credentials.Credentials {
	cred := &credentials.Credentials{
		Name:      created.Name,
		Secret:    credentials.NewSecret(created.Secret),
		ID:        ptrTo(created.ID),
		ExpiresAt: ptrTo(created.ExpiresAt),
	}
	if t := time.Time(created.CreationTime); !t.IsZero() {
		cred.CreationTime = &t
	}
	if rc != nil {
		cred.Description = ptrTo(rc.Description)
		cred.Level = ptrTo(rc.Level)
		cred.Duration = ptrTo(rc.Duration)
		cred.Disable = ptrTo(rc.Disable)
		for _, p := range rc.Permissions {
			if p == nil {
				continue
			}
			cp := credentials.Permission{Kind: p.Kind, Namespace: p.Namespace}
			for _, a := range p.Access {
				if a != nil {
					cp.Access = append(cp.Access, credentials.Access{Resource: a.Resource, Action: a.Action, Effect: a.Effect})
				}
			}
			cred.Permissions = append(cred.Permissions, cp)
		}
	}
	return cred
}

// RefreshRobotSecret sets the secret of robot id to secret, or lets Harbor
// generate one when secret is "", and returns the secret now in force. The
// old secret stops working. A chosen secret is checked first
// (ValidateRobotSecret; the error matches ErrInvalidRobot). Harbor's
// refusals are *Error.
func (c *Client) RefreshRobotSecret(ctx context.Context, id int64, secret string) (credentials.Secret, error) {
	if secret != "" {
		if err := ValidateRobotSecret(secret); err != nil {
			return credentials.Secret{}, fmt.Errorf("%w: secret: %v", ErrInvalidRobot, err)
		}
	}
	res, err := c.api.Robot.RefreshSec(ctx, robot.NewRefreshSecParams().WithRobotID(id).WithRobotSec(&models.RobotSec{Secret: secret}))
	if err != nil {
		return credentials.Secret{}, c.wrap(err)
	}
	if secret != "" {
		return credentials.NewSecret(secret), nil // Harbor answers {} for a chosen secret
	}
	if res.Payload == nil || res.Payload.Secret == "" {
		return credentials.Secret{}, fmt.Errorf("harbor: PATCH /robots/%d: Harbor's answer holds no secret", id)
	}
	return credentials.NewSecret(res.Payload.Secret), nil
}

// RotateCredentialsFile rotates the secret of the robot whose credentials
// file is at path, using c (a client allowed to refresh that robot's
// secret, e.g. an administrator's), and rewrites the file atomically with
// the new secret, keeping its other fields. secret "" lets Harbor generate
// one. The robot is found by the file's id, or else by its name. If Harbor
// changed the secret but the file could not be written, the new secret is
// returned with a *RobotIncompleteError so it is not lost.
func (c *Client) RotateCredentialsFile(ctx context.Context, path, secret string) (credentials.Secret, error) {
	cred, err := credentials.Load(path)
	if err != nil {
		return credentials.Secret{}, err
	}
	if err := credentials.CheckWritable(path, true); err != nil {
		return credentials.Secret{}, err
	}
	var id int64
	if cred.ID != nil && *cred.ID > 0 {
		id = *cred.ID
	} else {
		r, err := c.FindRobot(ctx, cred.Name)
		if err != nil {
			return credentials.Secret{}, fmt.Errorf("harbor: RotateCredentialsFile %s: %w", path, err)
		}
		id = r.ID
	}
	newSecret, err := c.RefreshRobotSecret(ctx, id, secret)
	if err != nil {
		return credentials.Secret{}, fmt.Errorf("harbor: RotateCredentialsFile %s: %w", path, err)
	}
	cred.Secret = newSecret
	if err := credentials.Save(path, cred, credentials.Overwrite()); err != nil {
		return newSecret, &RobotIncompleteError{ID: id, Name: cred.Name, Step: "rewrite the credentials file with the new secret", Err: err}
	}
	return newSecret, nil
}

// FindRobot returns the robot called name, which may be the short name
// ("from_api"), the full name ("robot$from_api") or a project robot's full
// name ("robot$proj+name"). The name prefix is the server's
// robot_name_prefix (from GET /configurations when the client may read it,
// "robot$" otherwise, or WithRobotNamePrefix). The error matches
// ErrNotFound when there is no such robot.
func (c *Client) FindRobot(ctx context.Context, name string) (*models.Robot, error) {
	if name == "" {
		return nil, errors.New("harbor: FindRobot: name is empty")
	}
	prefix := c.RobotNamePrefix(ctx)
	stored := strings.TrimPrefix(name, prefix) // Harbor stores and queries names without the prefix
	full := prefix + stored
	q := "Level=" + LevelSystem + ",name=" + stored
	if projectName, _, ok := strings.Cut(stored, "+"); ok {
		p, err := c.api.Project.GetProject(ctx, project.NewGetProjectParams().
			WithProjectNameOrID(projectName).WithXIsResourceName(ptrTo(true)))
		if err != nil {
			return nil, fmt.Errorf("harbor: FindRobot %q: project %q: %w", full, projectName, c.wrap(err))
		}
		q = fmt.Sprintf("Level=%s,ProjectID=%d,name=%s", LevelProject, p.Payload.ProjectID, stored)
	}
	for r, err := range All(ctx, c.api.Robot.ListRobot, robot.NewListRobotParams().WithQ(&q)) {
		if err != nil {
			return nil, c.wrap(err)
		}
		if r != nil && r.Name == full {
			return r, nil
		}
	}
	return nil, &Error{StatusCode: 404, Method: "GET", Path: c.baseURL.Path + "/robots",
		Errors: []ErrorItem{{Code: "NOT_FOUND", Message: fmt.Sprintf("no robot named %q", full)}}}
}

// DefaultRobotNamePrefix is Harbor's default robot_name_prefix.
const DefaultRobotNamePrefix = "robot$"

// RobotNamePrefix returns the prefix Harbor puts before robot names:
// WithRobotNamePrefix if given, else the server's robot_name_prefix (GET
// /configurations, asked once; only administrators may read it), else
// DefaultRobotNamePrefix.
func (c *Client) RobotNamePrefix(ctx context.Context) string {
	c.prefixMu.Lock()
	defer c.prefixMu.Unlock()
	if c.prefix != "" {
		return c.prefix
	}
	prefix := DefaultRobotNamePrefix
	res, err := c.api.Configure.GetConfigurations(ctx, configure.NewGetConfigurationsParams())
	if err == nil && res.Payload != nil && res.Payload.RobotNamePrefix != nil && res.Payload.RobotNamePrefix.Value != "" {
		prefix = res.Payload.RobotNamePrefix.Value
	}
	if err == nil || statusOf(err) > 0 {
		c.prefix = prefix // a refusal is an answer too: do not ask again
	}
	return prefix
}

// statusOf returns the status of the Harbor answer err carries, or 0.
func statusOf(err error) int {
	if he, ok := AsError(err); ok {
		return he.StatusCode
	}
	return 0
}

func ptrTo[T any](v T) *T { return &v }
