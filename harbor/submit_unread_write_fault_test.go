package harbor

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
)

// FAULT (submit.go, not owned here): a POST or PATCH answered 2xx whose
// body does not decode (a timestamp in another format, a proxy's HTML
// page) is only ErrUnexpectedContent, whose text says "check that the URL
// points at Harbor"; it does not match ErrOutcomeUnknown although the
// write may have been carried out (here: the robot exists and its secret,
// in the unread answer, is lost). The facade helpers mark it themselves
// (unreadWrite in robots.go); calls through API() do not. A fix:
// exchange.ReadResponse or failure could wrap an unexpectedContentError
// of a non-idempotent method in outcomeUnknownError.
func TestRawWriteAnsweredUnreadablyIsOutcomeUnknown(t *testing.T) {
	t.Skip("known fault in submit.go: a 2xx answer to a write that cannot be read does not match ErrOutcomeUnknown")
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 201, `{"id":7,"name":"robot$bot","secret":"Gen3rated1","creation_time":"garbage"}`)
	})
	c := newStubClient(t, s.URL)
	_, err := c.API().Robot.CreateRobot(t.Context(), robot.NewCreateRobotParams().
		WithRobot(SystemRobot("bot", 1, Allow(ResourceProject, ActionCreate))))
	require.ErrorIs(t, err, ErrUnexpectedContent)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
}
