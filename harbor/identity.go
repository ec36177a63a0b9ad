package harbor

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/harborkit/harbor-sdk-go/gen/client/ping"
	"github.com/harborkit/harbor-sdk-go/gen/client/user"
)

// IdentityKind says what kind of account a client authenticates as.
type IdentityKind string

// The kinds of identity Whoami reports.
const (
	IdentityUser  IdentityKind = "user"
	IdentityRobot IdentityKind = "robot"
)

// Identity is who the client is, as Harbor sees it.
type Identity struct {
	// Kind is IdentityUser or IdentityRobot.
	Kind IdentityKind
	// Name is the username, or the robot's full name (e.g. "robot$ci").
	Name string
	// UserID is the user's id (0 for robots).
	UserID int64
	// SysAdmin is true for a Harbor system administrator.
	SysAdmin bool
}

// Ping checks that Harbor answers at the client's URL (GET /ping). It does
// not check credentials: use Whoami for that. Errors are transport errors,
// an *Error, or an ErrUnexpectedContent error when the URL is not Harbor's API.
// A nil ctx is an error, before any request.
func (c *Client) Ping(ctx context.Context) (err error) {
	defer inVoice("Ping", &err)
	if err := checkContext(ctx, "Ping"); err != nil {
		return err
	}
	_, err = c.api.Ping.GetPing(ctx, ping.NewGetPingParams())
	return err
}

// Whoami returns who the client authenticates as, and so checks that its
// credentials really work: Harbor treats wrong credentials on public reads
// as anonymous rather than refusing them. An anonymous client, or one whose
// credentials Harbor does not accept, gets an error matching ErrUnauthorized.
//
// It asks GET /users/current. Harbor answers a robot's request there with
// 412 "not available for security context: robot", which proves the robot's
// secret was accepted (wrong credentials get 401), so Harbor's 412 (its
// JSON item coded PRECONDITION, not a proxy's page) for a client configured
// with a name is reported as that robot. A nil ctx is an error, before any
// request.
func (c *Client) Whoami(ctx context.Context) (_ *Identity, err error) {
	defer inVoice("Whoami", &err)
	if err := checkContext(ctx, "Whoami"); err != nil {
		return nil, err
	}
	res, err := c.api.User.GetCurrentUserInfo(ctx, user.NewGetCurrentUserInfoParams())
	if err == nil {
		u := res.Payload
		if u == nil {
			return nil, errors.New("harbor: GET /users/current: empty answer")
		}
		return &Identity{Kind: IdentityUser, Name: u.Username, UserID: u.UserID, SysAdmin: u.SysadminFlag}, nil
	}
	he, ok := AsError(err)
	if ok && he.StatusCode == http.StatusPreconditionFailed && c.auth != nil && harborSaidPrecondition(he) {
		return &Identity{Kind: IdentityRobot, Name: c.auth.username}, nil
	}
	if ok && he.StatusCode == http.StatusUnauthorized {
		who := "anonymous client"
		if c.auth != nil {
			who = fmt.Sprintf("credentials of %q", c.auth.username)
		}
		return nil, fmt.Errorf("harbor: Whoami: %s not accepted: %w", who, he)
	}
	return nil, err
}

// harborSaidPrecondition reports whether a 412 carries Harbor's own
// PRECONDITION item, rather than being some proxy's answer.
func harborSaidPrecondition(he *Error) bool {
	for _, it := range he.Errors {
		if it.Code == "PRECONDITION" {
			return true
		}
	}
	return false
}
