package harbor

import (
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

// RefreshRobotSecret sets the secret of robot id to secret, or lets Harbor
// generate one when secret is "", and returns the secret now in force. The
// old secret stops working. A chosen secret is checked first
// (ValidateRobotSecret; the error matches ErrInvalidRobot). Harbor's
// refusals are *Error; a failure after the PATCH may have reached Harbor
// leaves the outcome unknown (see RotateCredentialsFile, which finds out).
// A nil ctx or an id below 1 is an error, before any request.
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
	// A server echoing the body would quote the chosen secret: the call's
	// errors and log records redact it as they redact the credentials.
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

// RotateCredentialsFile rotates the secret of the robot whose credentials
// file is at path, using c (a client allowed to read the robot and refresh
// its secret, e.g. an administrator's), and rewrites the file atomically
// with the new secret, keeping its other fields. secret "" lets Harbor
// generate one. The robot is found by the file's id, or else by its name;
// a robot under that id that is not the one the file names (its full
// name, which holds a project robot's project, and its level: a file from
// another Harbor) is refused before any change. If Harbor changed the secret but
// the file could not be written, the new secret is returned with a
// *RobotIncompleteError so it is not lost.
//
// Rotations of one file take turns, also across processes (overlapping
// cron runs), so the file ends with the secret Harbor accepts: each holds
// path+".lock" (created next to it and left there) from reading the file
// to writing it, waiting for it until ctx ends. On Unix it is an flock(2),
// released when a process dies; elsewhere the lock file's existence (a
// crashed rotation leaves it: delete it).
//
// When the PATCH fails in a way that may have reached Harbor (a cut
// connection, a timeout, a 5xx), RotateCredentialsFile asks Harbor, as the
// robot, which secret now works: a chosen secret in force is saved and
// returned as a success; otherwise the error says that the file still holds
// the old secret and whether that one still works. Those checks run even
// when ctx is done, for at most 10 seconds more. A nil ctx or an empty path
// is an error, before any request.
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

// robotOfFile returns the id of the robot cred names: the file's id once
// Harbor's robot of that id has cred's name (which holds a project robot's
// project: robot$project+name) and level, or else the id of the robot of
// that name.
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
	r, wrong := res.Payload, ""
	if r == nil {
		r = &models.Robot{}
	}
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

// secretAfterUnknownRotation finds out, after a rotation whose outcome is
// unknown (err), whether the chosen secret is in force (then it is
// returned) or says what the file's old secret is worth now.
func (c *Client) secretAfterUnknownRotation(ctx context.Context, cred *credentials.Credentials, chosen string, err error) (credentials.Secret, error) {
	ctx, cancel := afterFailureContext(ctx)
	defer cancel()
	var chosenErr error
	if chosen != "" {
		var works bool
		if works, chosenErr = c.secretWorks(ctx, cred.Name, chosen); works {
			return credentials.NewSecret(chosen), nil
		}
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
	if errors.Is(err, ErrInvalidRobot) {
		return true
	}
	s := statusOf(err)
	return s >= 400 && s < 500
}

// checkGrace bounds the checks that find out which secret is in force.
const checkGrace = 10 * time.Second

// afterFailureContext returns the context for those checks: ctx, or, when ctx is
// already done (its deadline cut the change short), one that ignores that
// and ends checkGrace from now: the robot exists and its secret must not be
// lost.
func afterFailureContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Err() == nil {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), checkGrace)
}

// secretWorks asks Harbor whether robot name authenticates with secret:
// GET /users/current/permissions answers 200 to any robot whose secret is
// right and 401 otherwise.
func (c *Client) secretWorks(ctx context.Context, name, secret string) (bool, error) {
	if secret == "" {
		return false, nil
	}
	bot, err := c.With(WithBasicAuth(name, secret))
	if err != nil {
		return false, err
	}
	_, err = bot.api.User.GetCurrentUserPermissions(ctx, user.NewGetCurrentUserPermissionsParams())
	switch {
	case err == nil:
		return true, nil
	case statusOf(err) == http.StatusUnauthorized:
		return false, nil
	}
	return false, err
}
