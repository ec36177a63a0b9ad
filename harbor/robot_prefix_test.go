package harbor_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// The server's robot name prefix: a refusal (a non-administrator's 401 or
// 403) is kept, since asking again gets the same answer; a proxy's 5xx is
// an outage, so the prefix is asked again next time rather than the
// default being kept for the client's life.
func TestRobotNamePrefixAfterOutageIsAskedAgain(t *testing.T) {
	srv, admin := newServer(t, harbortest.WithRobotNamePrefix("bot-"))
	created, err := admin.CreateRobot(t.Context(), projectCreator("x"))
	require.NoError(t, err)
	fresh, err := admin.With()
	require.NoError(t, err)
	srv.FailNext(3, 502, harbortest.OnPath("/api/v2.0/configurations"))
	assert.Equal(t, harbor.DefaultRobotNamePrefix, fresh.RobotNamePrefix(t.Context()), "no answer: the default")
	assert.Equal(t, "bot-", fresh.RobotNamePrefix(t.Context()), "asked again once Harbor answers")
	r, err := fresh.FindRobot(t.Context(), "x")
	require.NoError(t, err)
	assert.Equal(t, created.ID, r.ID)

	refused, err := admin.With()
	require.NoError(t, err)
	srv.FailNext(1, 403, harbortest.OnPath("/api/v2.0/configurations"))
	assert.Equal(t, harbor.DefaultRobotNamePrefix, refused.RobotNamePrefix(t.Context()))
	srv.ResetRequests()
	assert.Equal(t, harbor.DefaultRobotNamePrefix, refused.RobotNamePrefix(t.Context()), "a refusal is kept")
	assert.Empty(t, srv.Requests())
}
