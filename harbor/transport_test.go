package harbor

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

var fastRetry = RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxBackoff: 50 * time.Millisecond}

func listProjects(c *Client, ctx context.Context) error {
	_, err := c.API().Project.ListProjects(ctx, project.NewListProjectsParams())
	return err
}

func TestTimeoutBoundsSlowServer(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
		writeJSON(w, 200, `[]`)
	})
	c := newStubClient(t, s.URL, WithTimeout(150*time.Millisecond))
	start := time.Now()
	err := listProjects(c, t.Context())
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	// Without the timeout the answer comes after a minute; the bound leaves
	// a loaded machine ample room.
	assert.Less(t, time.Since(start), 20*time.Second)
}

func TestNoCookiesAreSentBack(t *testing.T) {
	var cookies atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		if len(r.Cookies()) > 0 {
			cookies.Add(1)
			writeJSON(w, 403, `{"errors":[{"code":"FORBIDDEN","message":"CSRF token not found in request"}]}`)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "abc", Path: "/"})
		if r.Method == http.MethodGet {
			writeJSON(w, 200, `[]`)
			return
		}
		writeJSON(w, 201, ``)
	})
	c := newStubClient(t, s.URL)
	for range 3 {
		require.NoError(t, listProjects(c, t.Context()))
		_, err := c.API().Project.CreateProject(t.Context(), project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "p"}))
		require.NoError(t, err)
	}
	assert.Zero(t, cookies.Load())
}

func TestRequestIDs(t *testing.T) {
	ids := make(chan string, 2)
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		ids <- r.Header.Get("X-Request-Id")
		w.Header().Set("X-Request-Id", "harbor-1")
		writeJSON(w, 404, `{"errors":[{"code":"NOT_FOUND","message":"no"}]}`)
	})
	c := newStubClient(t, s.URL)
	err := listProjects(c, t.Context())
	assert.Empty(t, <-ids, "no id is made up: Harbor assigns one")
	he, ok := AsError(err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "harbor-1", he.RequestID, "the id Harbor sent back")
	_, err = c.API().Project.ListProjects(t.Context(), project.NewListProjectsParams().WithXRequestID(ptr("mine-1")))
	require.Error(t, err)
	assert.Equal(t, "mine-1", <-ids, "a caller's request id is sent")
}

// The generated JSON consumer stops at the closing bracket and the runtime
// closes the body unread, so net/http drops the connection; the facade reads
// bodies to the end, so one connection serves every call.
func TestConnectionsAreReusedForChunkedAnswers(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		f := w.(http.Flusher)
		_, _ = w.Write([]byte(`[{"name":"a","project_id":1}`))
		f.Flush() // chunked: no Content-Length
		_, _ = w.Write([]byte(`,{"name":"b","project_id":2}]`))
		f.Flush()
		_, _ = w.Write([]byte("\n"))
	})
	c := newStubClient(t, s.URL)
	for range 100 {
		res, err := c.API().Project.ListProjects(t.Context(), project.NewListProjectsParams())
		require.NoError(t, err)
		require.Len(t, res.Payload, 2)
	}
	assert.EqualValues(t, 1, s.conns.Load(), "connections opened for 100 calls")
}

func TestConnectionCutOnPostIsOutcomeUnknown(t *testing.T) {
	var calls atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	})
	c := newStubClient(t, s.URL, WithRetry(fastRetry))
	_, err := c.API().Robot.CreateRobot(t.Context(), robot.NewCreateRobotParams().WithRobot(&models.RobotCreate{Name: "x"}))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "outcome unknown")
	assert.EqualValues(t, 1, calls.Load())

	// The same cut on a GET is retried.
	calls.Store(0)
	require.Error(t, listProjects(c, t.Context()))
	assert.EqualValues(t, fastRetry.MaxAttempts, calls.Load())
	assert.False(t, errors.Is(listProjects(c, t.Context()), ErrOutcomeUnknown))
}

func ptr[T any](v T) *T { return &v }

// A POST that never left (nothing listens, or TLS refused) is not "outcome
// unknown": the caller may safely try again.
func TestPostThatWasNeverSentIsNotOutcomeUnknown(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {})
	url := s.URL
	s.Close()
	c := newStubClient(t, url)
	_, err := c.API().Robot.CreateRobot(t.Context(), robot.NewCreateRobotParams().WithRobot(&models.RobotCreate{Name: "x"}))
	require.Error(t, err)
	assert.False(t, errors.Is(err, ErrOutcomeUnknown), "connection refused: %v", err)

	tlsStub := newTLSStub(t)
	c = newStubClient(t, tlsStub.URL)
	_, err = c.API().Robot.CreateRobot(t.Context(), robot.NewCreateRobotParams().WithRobot(&models.RobotCreate{Name: "x"}))
	require.Error(t, err)
	assert.False(t, errors.Is(err, ErrOutcomeUnknown), "certificate refused: %v", err)
}
