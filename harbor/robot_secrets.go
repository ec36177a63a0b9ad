package harbor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/harborkit/harbor-sdk-go/credentials"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/client/user"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// RefreshRobotSecret sets the secret of robot id to secret (Harbor
// generates one for "") and returns the secret now in force; the old one
// stops working. A chosen secret is checked first (ValidateRobotSecret; the
// error matches ErrInvalidRobot), as are a nil ctx and an id below 1.
// Harbor's refusals are *Error; after a failure that may have reached
// Harbor the outcome is unknown (RotateCredentialsFile finds out).
//
// Needs robot:update (a robot may refresh its own secret).
func (c *Client) RefreshRobotSecret(ctx context.Context, id int64, secret string) (_ credentials.Secret, err error) {
	defer inVoice("RefreshRobotSecret", &err)
	if err := checkContext(ctx, "RefreshRobotSecret"); err != nil {
		return credentials.Secret{}, err
	}
	if id < 1 {
		return credentials.Secret{}, fmt.Errorf("harbor: RefreshRobotSecret: robot id %d is not a Harbor id (1 or more)", id)
	}
	if secret != "" {
		if err := ValidateRobotSecret(secret); err != nil {
			return credentials.Secret{}, fmt.Errorf("%w: secret: %v", ErrInvalidRobot, err)
		}
	}
	// withBodySecret: a server echoing the body must not leak the secret.
	res, err := c.api.Robot.RefreshSec(withBodySecret(ctx, secret), robot.NewRefreshSecParams().WithRobotID(id).WithRobotSec(&models.RobotSec{Secret: secret}))
	if err != nil {
		return credentials.Secret{}, err
	}
	if secret != "" {
		return credentials.NewSecret(secret), nil // Harbor answers {} for a chosen secret
	}
	if res.Payload == nil || res.Payload.Secret == "" {
		return credentials.Secret{}, fmt.Errorf("harbor: PATCH /robots/%d: Harbor's answer holds no secret", id)
	}
	return credentials.NewSecret(res.Payload.Secret), nil
}

// RotateCredentialsFile rotates, using c (e.g. an administrator's client),
// the secret of the robot whose credentials file is at path (secret "":
// Harbor generates one) and rewrites the file atomically, keeping its other
// fields. The robot is found by the file's id, else its name; a robot under
// that id whose full name or level differs from the file's (a file from
// another Harbor) is refused before any change. If the file cannot be
// written, the new secret comes back with a *RobotIncompleteError.
//
// Rotations of one file take turns, across processes too: each holds
// path+".lock" (left in place) from reading the file to writing it,
// waiting until ctx ends. On Unix it is an flock(2), released when a
// process dies; elsewhere the file's existence (a crash leaves it: delete it).
//
// When the PATCH fails in a way that may have reached Harbor (a cut
// connection, a timeout, a 5xx), it asks Harbor, as the robot, which secret
// works: a chosen secret in force is saved and returned; otherwise the
// error says the file holds the old secret and whether that still works.
// These checks run up to 10 seconds past ctx's end. A nil ctx or an empty
// path is an error, before any request.
//
// Needs robot:read and robot:update.
func (c *Client) RotateCredentialsFile(ctx context.Context, path, secret string) (_ credentials.Secret, err error) {
	defer inVoice("RotateCredentialsFile", &err)
	if err := checkContext(ctx, "RotateCredentialsFile"); err != nil {
		return credentials.Secret{}, err
	}
	if path == "" {
		return credentials.Secret{}, errors.New("harbor: RotateCredentialsFile: path is empty")
	}
	if secret != "" {
		if err := ValidateRobotSecret(secret); err != nil {
			return credentials.Secret{}, fmt.Errorf("%w: secret: %v", ErrInvalidRobot, err)
		}
	}
	if err := credentials.CheckWritable(path, true); err != nil {
		return credentials.Secret{}, err
	}
	unlock, err := lockRotation(ctx, path)
	if err != nil {
		return credentials.Secret{}, err
	}
	defer unlock()
	cred, err := credentials.Load(path) // under the lock: the secret of the rotation before
	if err != nil {
		return credentials.Secret{}, err
	}
	id, err := c.robotOfFile(ctx, cred)
	if err != nil {
		return credentials.Secret{}, fmt.Errorf("harbor: RotateCredentialsFile %s: %w (the file is unchanged)", path, err)
	}
	newSecret, err := c.RefreshRobotSecret(ctx, id, secret)
	if err != nil {
		if outcomeKnown(err) {
			return credentials.Secret{}, fmt.Errorf("harbor: RotateCredentialsFile %s: %w (the file is unchanged)", path, err)
		}
		if newSecret, err = c.secretAfterUnknownRotation(ctx, cred, secret, err); err != nil {
			return credentials.Secret{}, fmt.Errorf("harbor: RotateCredentialsFile %s: %w", path, err)
		}
	}
	cred.Secret = newSecret
	if err := credentials.Save(path, cred, credentials.Overwrite()); err != nil {
		return newSecret, &RobotIncompleteError{ID: id, Name: cred.Name, Step: "rewrite the credentials file with the new secret",
			Returned: "the new secret, in force", Err: err}
	}
	return newSecret, nil
}

// robotOfFile returns the file's id once Harbor's robot of that id has
// cred's full name and level, or else the id of the robot of that name.
func (c *Client) robotOfFile(ctx context.Context, cred *credentials.Credentials) (int64, error) {
	if cred.ID == nil || *cred.ID < 1 {
		r, err := c.FindRobot(ctx, cred.Name)
		if err != nil {
			return 0, err
		}
		return r.ID, nil
	}
	res, err := c.api.Robot.GetRobotByID(ctx, robot.NewGetRobotByIDParams().WithRobotID(*cred.ID))
	if err != nil {
		return 0, fmt.Errorf("robot id %d: %w", *cred.ID, err)
	}
	r, wrong := cmp.Or(res.Payload, &models.Robot{}), ""
	switch {
	case r.Name != cred.Name:
		wrong = "name"
	case cred.Level != nil && *cred.Level != "" && *cred.Level != r.Level:
		wrong = "level"
	}
	if wrong != "" {
		return 0, fmt.Errorf("refusing to rotate: the file names robot %q (id %d), but Harbor's robot %d is %q (level %q, %s differs): a file from another Harbor?",
			cred.Name, *cred.ID, *cred.ID, r.Name, r.Level, wrong)
	}
	return r.ID, nil
}

// lockRotation takes the lock of path's rotations, waiting until ctx ends.
func lockRotation(ctx context.Context, path string) (unlock func(), err error) {
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		if unlock, err := tryLock(path + ".lock"); err != nil || unlock != nil {
			return unlock, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("harbor: RotateCredentialsFile %s: another rotation holds %s.lock (the file is unchanged): %w", path, path, ctx.Err())
		case <-time.After(wait):
		}
	}
}

// secretAfterUnknownRotation returns the chosen secret if it is in force
// after a rotation that failed with err, or says what the old one is worth.
func (c *Client) secretAfterUnknownRotation(ctx context.Context, cred *credentials.Credentials, chosen string, err error) (credentials.Secret, error) {
	ctx, cancel := afterFailureContext(ctx)
	defer cancel()
	works, chosenErr := c.secretWorks(ctx, cred.Name, chosen) // false, nil for ""
	if works {
		return credentials.NewSecret(chosen), nil
	}
	old := "whether it still works could not be checked"
	switch works, cerr := c.secretWorks(ctx, cred.Name, cred.Secret.Reveal()); {
	case cerr != nil:
		old += fmt.Sprintf(" (%v)", cerr)
	case works:
		old = "which still works: Harbor did not change it"
	case chosen == "":
		old = "which no longer works: Harbor generated a new secret whose answer was lost; rotate again"
	case chosenErr != nil:
		old = fmt.Sprintf("which no longer works; whether the chosen one does could not be checked (%v)", chosenErr)
	default:
		old = "which no longer works, nor does the chosen one; rotate again"
	}
	return credentials.Secret{}, fmt.Errorf("the outcome of the change is unknown; the file still holds the old secret, %s: %w", old, err)
}

// outcomeKnown reports whether a failed change certainly did not happen:
// refused before sending (ErrInvalidRobot) or refused by Harbor (4xx).
func outcomeKnown(err error) bool {
	s := statusOf(err)
	return errors.Is(err, ErrInvalidRobot) || s >= 400 && s < 500
}

// afterFailureContext returns ctx or, once ctx is done, a context ending
// 10 seconds from now for the checks of which secret is in force.
func afterFailureContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Err() == nil {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}

// secretWorks asks Harbor whether robot name authenticates with secret
// (GET /users/current/permissions: 200, else 401).
func (c *Client) secretWorks(ctx context.Context, name, secret string) (bool, error) {
	if secret == "" {
		return false, nil
	}
	bot, err := c.With(WithBasicAuth(name, secret))
	if err != nil {
		return false, err
	}
	_, err = bot.api.User.GetCurrentUserPermissions(ctx, user.NewGetCurrentUserPermissionsParams())
	if err == nil || statusOf(err) == http.StatusUnauthorized {
		return err == nil, nil
	}
	return false, err
}
