package harbor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

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
	Kind     IdentityKind // IdentityUser or IdentityRobot
	Name     string       // the username, or the robot's full name (e.g. "robot$ci")
	UserID   int64        // the user's id (0 for robots)
	SysAdmin bool         // a Harbor system administrator
}

// Ping checks that Harbor's API answers at the client's URL (GET /ping),
// not the credentials (Whoami does): another answer is an *Error or matches
// ErrUnexpectedContent. A nil ctx is an error.
func (c *Client) Ping(ctx context.Context) (err error) {
	defer inVoice("Ping", &err)
	if err := checkContext(ctx, "Ping"); err != nil {
		return err
	}
	_, err = c.api.Ping.GetPing(ctx, ping.NewGetPingParams())
	return err
}

// Whoami returns who the client authenticates as, and so checks that its
// credentials work (Harbor treats wrong ones on public reads as anonymous).
// An anonymous client, or one whose credentials Harbor does not accept,
// gets an error matching ErrUnauthorized. Harbor answers a robot's GET
// /users/current with 412 coded PRECONDITION (wrong credentials get 401):
// that is reported as the client's robot. A nil ctx is an error.
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
	if ok && he.StatusCode == http.StatusPreconditionFailed && c.auth != nil &&
		slices.ContainsFunc(he.Errors, func(it ErrorItem) bool { return it.Code == "PRECONDITION" }) {
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
