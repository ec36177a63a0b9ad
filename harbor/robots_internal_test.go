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

// Writes answered 2xx with a body that cannot be read: whatever answered
// may have carried the write out, so the error matches ErrOutcomeUnknown
// besides ErrUnexpectedContent. A robot answer without the secret returns
// the robot (it exists) with a *RobotIncompleteError, or, when a secret
// was chosen, sets that one: nothing is lost.
func TestWritesAnsweredUnreadably(t *testing.T) {
	answer := func(status int, contentType, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPatch && status == 201 { // setting a chosen secret
				writeJSON(w, 200, `{}`)
				return
			}
			w.Header().Set("Content-Type", contentType)
			w.Header().Set("Location", "/api/v2.0/robots/7")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
	}
	robotCall := func(c *Client) error {
		_, err := c.CreateRobot(t.Context(), SystemRobot("bot", 1, Allow(ResourceProject, ActionCreate)))
		return err
	}
	for name, tc := range map[string]struct {
		h    http.HandlerFunc
		call func(c *Client) error
	}{
		"CreateRobot bad time": {answer(201, "application/json", `{"id":7,"name":"robot$bot","secret":"Gen3rated1","creation_time":"garbage"}`), robotCall},
		"CreateRobot HTML":     {answer(201, "text/html", `<html>portal</html>`), robotCall},
		"RefreshRobotSecret bad JSON": {answer(200, "application/json", `{"secret":`), func(c *Client) error {
			_, err := c.RefreshRobotSecret(t.Context(), 7, "")
			return err
		}},
		"ScanArtifact HTML": {answer(202, "text/html", `<html>portal</html>`), func(c *Client) error {
			return c.ScanArtifact(t.Context(), "p", "team/app", "latest")
		}},
	} {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, tc.h)
			err := tc.call(newStubClient(t, s.URL))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrUnexpectedContent)
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
		})
	}

	for _, body := range []string{`{"id":7,"name":"robot$bot"}`, `{"id":7,"name":"robot$bot","secret":""}`} {
		s := newStub(t, answer(201, "application/json", body))
		c := newStubClient(t, s.URL)
		created, err := c.CreateRobot(t.Context(), SystemRobot("bot", 1, Allow(ResourceProject, ActionCreate)))
		require.NotNil(t, created, "the robot exists")
		assert.Equal(t, int64(7), created.ID)
		require.ErrorIs(t, err, ErrRobotIncomplete)
		assert.Contains(t, err.Error(), "could not read its secret")

		rc := SystemRobot("bot", 1, Allow(ResourceProject, ActionCreate))
		rc.Secret = "Chosen-S3cret1"
		created, err = c.CreateRobot(t.Context(), rc)
		require.NoError(t, err, "the chosen secret was set")
		assert.Equal(t, rc.Secret, created.Secret)
	}
	for _, body := range []string{`{}`, `null`, ``} {
		s := newStub(t, answer(201, "application/json", body))
		_, err := newStubClient(t, s.URL).CreateRobot(t.Context(), SystemRobot("bot", 1, Allow(ResourceProject, ActionCreate)))
		require.Error(t, err, body)
		assert.True(t, strings.Contains(err.Error(), "the robot exists, its secret is unknown"), "%q: %v", body, err)
	}
}

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
		Secret: credentials.NewSecret("Old-S3cret1"), ID: Ptr(int64(7))}))
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
