package harbor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
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

func TestIdempotentRequestsAreRetried(t *testing.T) {
	for _, status := range []int{429, 502, 503, 504} {
		var calls atomic.Int64
		s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) < 3 {
				writeJSON(w, status, `{"errors":[{"code":"X","message":"busy"}]}`)
				return
			}
			writeJSON(w, 200, `[]`)
		})
		c := newStubClient(t, s.URL, WithRetry(fastRetry))
		require.NoError(t, listProjects(c, t.Context()), "status %d", status)
		assert.EqualValues(t, 3, calls.Load(), "status %d", status)
	}
}

func TestRetriesStopAtMaxAttempts(t *testing.T) {
	var calls atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, 503, `{"errors":[{"code":"X","message":"down"}]}`)
	})
	c := newStubClient(t, s.URL, WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond}))
	err := listProjects(c, t.Context())
	assert.ErrorIs(t, mustAsError(t, err), ErrServer)
	assert.EqualValues(t, 3, calls.Load())
}

func TestOtherStatusesAreNotRetried(t *testing.T) {
	var calls atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, 500, `{"errors":[{"code":"X","message":"bug"}]}`)
	})
	c := newStubClient(t, s.URL, WithRetry(fastRetry))
	require.Error(t, listProjects(c, t.Context()))
	assert.EqualValues(t, 1, calls.Load())
}

func TestPostIsNeverRetried(t *testing.T) {
	var calls atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, 503, `{"errors":[{"code":"X","message":"busy"}]}`)
	})
	c := newStubClient(t, s.URL, WithRetry(fastRetry))
	_, err := c.API().Robot.CreateRobot(t.Context(), robot.NewCreateRobotParams().WithRobot(&models.RobotCreate{Name: "x"}))
	require.Error(t, err)
	assert.EqualValues(t, 1, calls.Load(), "POST /robots must be sent once")
}

func TestPutBodyIsReplayedOnRetry(t *testing.T) {
	var bodies []string
	var mu sync.Mutex
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		_, _ = b.ReadFrom(r.Body)
		mu.Lock()
		bodies = append(bodies, b.String())
		n := len(bodies)
		mu.Unlock()
		if n == 1 {
			writeJSON(w, 503, `{}`)
			return
		}
		writeJSON(w, 200, ``)
	})
	c := newStubClient(t, s.URL, WithRetry(fastRetry))
	_, err := c.API().Robot.UpdateRobot(t.Context(), robot.NewUpdateRobotParams().WithRobotID(1).WithRobot(&models.Robot{Name: "robot$x"}))
	require.NoError(t, err)
	require.Len(t, bodies, 2)
	assert.Equal(t, bodies[0], bodies[1])
	assert.Contains(t, bodies[1], "robot$x")
}

func TestRetryAfterIsHonoured(t *testing.T) {
	var first time.Time
	var gap time.Duration
	var calls atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, `{"errors":[{"code":"X","message":"slow down"}]}`)
			return
		}
		gap = time.Since(first)
		writeJSON(w, 200, `[]`)
	})
	c := newStubClient(t, s.URL, WithRetry(RetryPolicy{BaseDelay: time.Millisecond, MaxBackoff: 5 * time.Second}))
	require.NoError(t, listProjects(c, t.Context()))
	assert.GreaterOrEqual(t, gap, 900*time.Millisecond, "the retry waited for Retry-After, not the 1ms backoff")
}

func TestRetryAfterBeyondMaxBackoffGivesUp(t *testing.T) {
	var calls atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "3600")
		writeJSON(w, 503, `{}`)
	})
	c := newStubClient(t, s.URL, WithRetry(RetryPolicy{MaxBackoff: time.Second}))
	start := time.Now()
	require.Error(t, listProjects(c, t.Context()))
	assert.EqualValues(t, 1, calls.Load())
	assert.Less(t, time.Since(start), time.Second)
}

func TestContextCancelDuringBackoffReturnsPromptly(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "10")
		writeJSON(w, 503, `{}`)
	})
	c := newStubClient(t, s.URL, WithRetry(RetryPolicy{MaxBackoff: time.Minute, MaxElapsed: time.Minute}))
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	err := listProjects(c, ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestRetryBudgetLimitsRetriesClientWide(t *testing.T) {
	var calls atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, 503, `{}`)
	})
	// Budget 10, cost 5: two retries in all, then every request is sent once.
	c := newStubClient(t, s.URL, WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, Budget: 10, RetryCost: 5}))
	for range 4 {
		require.Error(t, listProjects(c, t.Context()))
	}
	assert.EqualValues(t, 4+2, calls.Load())
}

func TestTimeoutBoundsSlowServer(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		writeJSON(w, 200, `[]`)
	})
	c := newStubClient(t, s.URL, WithTimeout(150*time.Millisecond))
	start := time.Now()
	err := listProjects(c, t.Context())
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 2*time.Second)
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

func TestLoggingOneRecordPerAttemptWithoutSecrets(t *testing.T) {
	const secret = "Sup3rSecretValue"
	var calls atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", fmt.Sprint("harbor-", calls.Add(1)))
		if calls.Load() == 1 {
			writeJSON(w, 503, `{}`)
			return
		}
		writeJSON(w, 200, `[]`)
	})
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newStubClient(t, s.URL, WithBasicAuth("admin", secret), WithLogger(logger), WithRetry(fastRetry))
	require.NoError(t, listProjects(c, t.Context()))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `"status":503`)
	assert.Contains(t, lines[0], `"attempt":1`)
	assert.Contains(t, lines[1], `"status":200`)
	assert.Contains(t, lines[1], `"attempt":2`)
	assert.Contains(t, lines[1], `"path":"/api/v2.0/projects"`)
	assert.Contains(t, lines[0], `"request_id":"harbor-1"`)
	assert.Contains(t, lines[1], `"request_id":"harbor-2"`)
	assert.NotContains(t, buf.String(), secret)
	assert.NotContains(t, buf.String(), "Authorization")
	assert.NotContains(t, buf.String(), "Basic ")
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", c, c, c), secret)
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

func mustAsError(t *testing.T, err error) *Error {
	t.Helper()
	he, ok := AsError(err)
	require.True(t, ok, "not a Harbor answer: %v", err)
	return he
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
