package harbor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/harborkit/harbor-sdk-go/credentials"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// RobotOption tunes CreateRobot; a nil one is skipped, a bad value is an
// error naming it before any request.
type RobotOption func(*robotOptions) error

type robotOptions struct {
	path      string
	overwrite bool
	check     bool
}

// SaveCredentials makes CreateRobot save the new robot's credentials to path
// (credentials.Save: mode 0600, atomic); before the robot is created, the
// file must not exist (unless OverwriteCredentials) and its directory must
// be writable. An empty path is an error.
func SaveCredentials(path string) RobotOption {
	return func(o *robotOptions) error {
		if path == "" {
			return errors.New("SaveCredentials: path is empty")
		}
		o.path = path
		return nil
	}
}

// OverwriteCredentials lets SaveCredentials replace an existing file.
func OverwriteCredentials() RobotOption {
	return func(o *robotOptions) error {
		o.overwrite = true
		return nil
	}
}

// CheckPermissions makes CreateRobot check every requested access against
// the server's catalogue (GET /permissions) before creating the robot.
func CheckPermissions() RobotOption {
	return func(o *robotOptions) error {
		o.check = true
		return nil
	}
}

// CreateRobot creates a robot account and returns it with its secret,
// which Harbor shows only this once (%+v of the model prints it: log its
// name and id only). Before any request it checks ctx, opts, rc
// (ValidateRobot; errors match ErrInvalidRobot) and, with SaveCredentials,
// that the file can be written (errors match fs.ErrExist, fs.ErrNotExist or
// fs.ErrPermission).
//
// Harbor ignores a secret sent on creation: a chosen rc.Secret is set right
// after (docs/harbor-behaviours.md). Nothing is lost: if a step after
// creation fails, the robot is returned with the secret in force (saved
// with SaveCredentials) and a *RobotIncompleteError saying which it is.
// Harbor's refusals are *Error (ErrConflict when the name is taken); a POST
// whose answer was lost matches ErrOutcomeUnknown (FindRobot tells).
//
// Needs robot:create (system, or on the project for a project robot).
func (c *Client) CreateRobot(ctx context.Context, rc *models.RobotCreate, opts ...RobotOption) (_ *models.RobotCreated, err error) {
	defer inVoice("CreateRobot", &err)
	if err := checkContext(ctx, "CreateRobot"); err != nil {
		return nil, err
	}
	var o robotOptions
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if o.overwrite && o.path == "" {
		return nil, errors.New("harbor: CreateRobot: OverwriteCredentials without SaveCredentials")
	}
	if err := ValidateRobot(rc); err != nil {
		return nil, err
	}
	if o.path != "" {
		if err := credentials.CheckWritable(o.path, o.overwrite); errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("credentials file %s already exists (OverwriteCredentials replaces it): %w", o.path, fs.ErrExist)
		} else if err != nil {
			return nil, fmt.Errorf("credentials file: %w", err)
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
	body := rc
	if rc.Secret != "" { // Harbor ignores it: do not send it needlessly
		cp := *rc
		cp.Secret = ""
		body = &cp
	}
	res, err := c.api.Robot.CreateRobot(ctx, robot.NewCreateRobotParams().WithRobot(body))
	if err != nil {
		return nil, err
	}
	created := res.Payload
	if created == nil || created.ID < 1 {
		return nil, fmt.Errorf("harbor: CreateRobot: Harbor answered %s but its answer holds no robot: "+
			"the robot exists, its secret is unknown (FindRobot finds it, RefreshRobotSecret sets a secret)", res.Location)
	}
	var incomplete *RobotIncompleteError
	switch {
	case rc.Secret != "":
		incomplete = c.setChosenSecret(ctx, created, rc.Secret)
	case created.Secret == "":
		return created, &RobotIncompleteError{ID: created.ID, Name: created.Name, Step: "read its secret",
			Returned: "no secret (set one with RefreshRobotSecret); no credentials file was written",
			Err:      errors.New("the answer from Harbor holds no secret")}
	}
	if o.path != "" && created.Secret != "" {
		if c.beforeSave != nil {
			c.beforeSave()
		}
		var saveOpts []credentials.SaveOption
		if o.overwrite {
			saveOpts = append(saveOpts, credentials.Overwrite())
		}
		if err := credentials.Save(o.path, RobotCredentials(rc, created), saveOpts...); err != nil {
			if incomplete == nil {
				incomplete = &RobotIncompleteError{ID: created.ID, Name: created.Name, Step: "save the credentials file",
					Returned: "the secret in force", Err: err}
			} else {
				incomplete.Step += " nor save the credentials file"
				incomplete.Err = errors.Join(incomplete.Err, err)
			}
		}
	}
	if incomplete != nil {
		return created, incomplete
	}
	return created, nil
}

// setChosenSecret sets chosen as the secret of the robot just created; on
// failure it puts the secret in force in created and says which it is.
func (c *Client) setChosenSecret(ctx context.Context, created *models.RobotCreated, chosen string) *RobotIncompleteError {
	_, err := c.RefreshRobotSecret(ctx, created.ID, chosen)
	if err == nil {
		created.Secret = chosen
		return nil
	}
	inc := &RobotIncompleteError{ID: created.ID, Name: created.Name, Step: "set the chosen secret", Err: err,
		Returned: "Harbor's generated secret, in force (Harbor refused the change)"}
	if outcomeKnown(err) {
		return inc
	}
	cctx, cancel := afterFailureContext(ctx)
	defer cancel()
	chosenWorks, chosenErr := c.secretWorks(cctx, created.Name, chosen)
	if chosenWorks {
		created.Secret = chosen // the change was carried out; only its answer was lost
		return nil
	}
	switch works, cerr := c.secretWorks(cctx, created.Name, created.Secret); {
	case works:
		inc.Returned = "Harbor's generated secret, which works (checked; the chosen one does not)"
	case cerr != nil || chosenErr != nil:
		inc.Returned = "Harbor's generated secret; which secret is in force could not be checked, try the chosen one too"
		inc.Err = errors.Join(err, fmt.Errorf("checking the secrets: %w", errors.Join(chosenErr, cerr)))
	default:
		inc.Returned = "Harbor's generated secret, though Harbor accepted neither it nor the chosen one when checked"
	}
	return inc
}

// RobotCredentials builds the credentials file content for a robot created
// from rc: what Harbor returned plus what was asked for (rc may be nil). It
// returns nil when created is nil.
func RobotCredentials(rc *models.RobotCreate, created *models.RobotCreated) *credentials.Credentials {
	if created == nil {
		return nil
	}
	cred := &credentials.Credentials{
		Name:      created.Name,
		Secret:    credentials.NewSecret(created.Secret),
		ID:        Ptr(created.ID),
		ExpiresAt: Ptr(created.ExpiresAt),
	}
	if t := time.Time(created.CreationTime); !t.IsZero() {
		cred.CreationTime = &t
	}
	if rc != nil {
		cred.Description = Ptr(rc.Description)
		cred.Level = Ptr(rc.Level)
		cred.Duration = Ptr(rc.Duration)
		cred.Disable = Ptr(rc.Disable)
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

// statusOf returns the status of the Harbor answer err carries, or 0.
func statusOf(err error) int {
	if he, ok := AsError(err); ok {
		return he.StatusCode
	}
	return 0
}

// Ptr returns a pointer to v, for the generated parameters' pointer fields:
// params.WithWithTag(harbor.Ptr(true)).
func Ptr[T any](v T) *T { return &v }
