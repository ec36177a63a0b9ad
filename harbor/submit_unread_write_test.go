package harbor

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
)

// A POST or PATCH answered 2xx whose body does not decode (a timestamp in
// another format, a proxy's HTML page) may have been carried out (here: the
// robot exists and its secret, in the unread answer, is lost): through
// API() as through the helpers, the error matches ErrOutcomeUnknown as
// well as ErrUnexpectedContent. A GET answered so is not an unknown outcome.
func TestRawWriteAnsweredUnreadablyIsOutcomeUnknown(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 201, `{"id":7,"name":"robot$bot","secret":"Gen3rated1","creation_time":"garbage"}`)
	})
	c := newStubClient(t, s.URL)
	_, err := c.API().Robot.CreateRobot(t.Context(), robot.NewCreateRobotParams().
		WithRobot(SystemRobot("bot", 1, Allow(ResourceProject, ActionCreate))))
	require.ErrorIs(t, err, ErrUnexpectedContent)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
}

func TestRawReadAnsweredUnreadablyIsOnlyUnexpected(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"id":7,"name":"robot$bot","creation_time":"garbage"}`)
	})
	c := newStubClient(t, s.URL)
	_, err := c.API().Robot.GetRobotByID(t.Context(), robot.NewGetRobotByIDParams().WithRobotID(7))
	require.ErrorIs(t, err, ErrUnexpectedContent)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
}
