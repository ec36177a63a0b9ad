package harbor

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
