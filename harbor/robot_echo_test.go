package harbor

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/credentials"
)

const echoedSecret = "Chosen-S3cret9"

// echoBodyStub answers POST /robots as Harbor does, and every PATCH with
// status, quoting the request's body (which holds the chosen secret) in
// its message and its X-Request-Id.
func echoBodyStub(t *testing.T, status int) *stub {
	return newStub(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost:
			writeJSON(w, 201, `{"id":7,"name":"robot$bot","secret":"Generated1x"}`)
		case r.Method == http.MethodGet && r.URL.Path == "/api/v2.0/robots/7":
			writeJSON(w, 200, `{"id":7,"name":"robot$bot","level":"system"}`)
		case r.Method == http.MethodPatch:
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("X-Request-Id", strings.TrimSpace(string(b)))
			writeJSON(w, status, fmt.Sprintf(`{"errors":[{"code":"BAD","message":%q}]}`, "you sent "+string(b)))
		default:
			writeJSON(w, 401, `{"errors":[{"code":"UNAUTHORIZED","message":"no"}]}`)
		}
	})
}

// errorTexts is every text a caller may print of err: its chain, fmt
// verbs, and the fields of the *Error in it.
func errorTexts(err error) []string {
	texts := []string{fmt.Sprintf("%v|%+v|%#v|%s|%q", err, err, err, err, err)}
	for e := err; e != nil; e = errors.Unwrap(e) {
		texts = append(texts, e.Error())
	}
	var ri *RobotIncompleteError
	if errors.As(err, &ri) {
		texts = append(texts, ri.Err.Error())
	}
	if he, ok := AsError(err); ok {
		texts = append(texts, fmt.Sprintf("%+v", *he))
		if g := he.Unwrap(); g != nil {
			texts = append(texts, g.Error())
		}
	}
	return texts
}

// A server echoing the body of the PATCH that sets a chosen secret: no
// error of RefreshRobotSecret, RotateCredentialsFile or CreateRobot holds
// the secret, and the status still matches.
func TestChosenSecretEchoedByServerNeverInErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "robot.json")
	require.NoError(t, credentials.Save(path, &credentials.Credentials{Name: "robot$bot",
		Secret: credentials.NewSecret("Old-S3cret1"), ID: ptrTo(int64(7))}))
	calls := map[string]func(c *Client) error{
		"RefreshRobotSecret": func(c *Client) error {
			_, err := c.RefreshRobotSecret(t.Context(), 7, echoedSecret)
			return err
		},
		"RotateCredentialsFile": func(c *Client) error {
			_, err := c.RotateCredentialsFile(t.Context(), path, echoedSecret)
			return err
		},
		"CreateRobot": func(c *Client) error {
			rc := SystemRobot("bot", 1, Allow(ResourceProject, ActionCreate))
			rc.Secret = echoedSecret
			_, err := c.CreateRobot(t.Context(), rc)
			return err
		},
	}
	for _, status := range []int{400, 502} {
		for name, call := range calls {
			t.Run(fmt.Sprint(name, "/", status), func(t *testing.T) {
				s := echoBodyStub(t, status)
				c := newStubClient(t, s.URL, WithBasicAuth("u", originSecret), WithoutRetry())
				err := call(c)
				require.Error(t, err)
				assert.True(t, IsStatus(err, status), "%v", err)
				assert.ErrorContains(t, err, "you sent")
				for _, text := range errorTexts(err) {
					assert.NotContains(t, text, echoedSecret)
				}
			})
		}
	}
}

// The debug record of an attempt redacts the request id with the call's
// body secret too (withBodySecret), not only the client's credentials: a
// server echoing the chosen robot secret of PATCH /robots/{id} in
// X-Request-Id gets nothing logged.
func TestChosenSecretEchoedByServerNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := echoBodyStub(t, 400)
	c := newStubClient(t, s.URL, WithBasicAuth("u", originSecret), WithLogger(logger))
	_, err := c.RefreshRobotSecret(t.Context(), 7, echoedSecret)
	require.Error(t, err)
	assert.NotContains(t, logs.String(), echoedSecret)
}
