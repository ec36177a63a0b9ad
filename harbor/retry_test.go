package harbor

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"0": 0, "3": 3 * time.Second,
		"10000000000":          math.MaxInt64, // would overflow into a negative delay
		"99999999999999999999": math.MaxInt64, // beyond uint64
		now.Add(time.Minute).Format(http.TimeFormat):  time.Minute,
		now.Add(-time.Minute).Format(http.TimeFormat): 0,
	} {
		got, ok := retryAfter(v, now)
		assert.True(t, ok, v)
		assert.Equal(t, want, got, v)
	}
	for _, v := range []string{"", "-1", "soon", "1.5"} {
		_, ok := retryAfter(v, now)
		assert.False(t, ok, v)
	}
}

// An absurd Retry-After ends the retries at once, and the error shows it.
func TestAbsurdRetryAfterGivesUpAndSaysSo(t *testing.T) {
	var calls atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "10000000000")
		writeJSON(w, 429, `{"errors":[{"code":"TOO_MANY","message":"slow down"}]}`)
	})
	c := newStubClient(t, s.URL, WithRetry(fastRetry))
	err := listProjects(c, t.Context())
	assert.ErrorIs(t, err, ErrTooManyRequests)
	assert.Contains(t, err.Error(), "(Retry-After: 10000000000)")
	assert.Equal(t, int64(1), calls.Load())
}

// Equal jitter: each backoff is in [d/2, d], d doubling up to MaxBackoff.
func TestBackoffIsEqualJitter(t *testing.T) {
	r := newRetryer(RetryPolicy{MaxAttempts: 9, BaseDelay: 100 * time.Millisecond, MaxBackoff: time.Second, Budget: 10, RetryCost: 1})
	for attempt, d := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 60: time.Second} {
		for range 50 {
			got := r.backoff(attempt)
			require.GreaterOrEqual(t, got, d/2, "attempt %d", attempt)
			require.LessOrEqual(t, got, d, "attempt %d", attempt)
		}
	}
}

// The budget as aws-sdk-go-v2's standard retryer: a retry takes its cost,
// a success after retries returns the last retry's cost, a first-attempt
// success returns one token.
func TestRetryBudgetRefunds(t *testing.T) {
	r := newRetryer(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxBackoff: time.Millisecond,
		MaxElapsed: time.Minute, Budget: 20, RetryCost: 5})
	ctx := t.Context()
	unavailable := &http.Response{StatusCode: 503, Header: http.Header{}}
	ok := &http.Response{StatusCode: 200, Header: http.Header{}}
	_, cost, again := r.next(ctx, 1, 0, 0, unavailable, nil)
	require.True(t, again)
	assert.Equal(t, 5, cost)
	assert.Equal(t, 15, r.tokens)
	_, _, again = r.next(ctx, 2, cost, 0, ok, nil)
	assert.False(t, again)
	assert.Equal(t, 20, r.tokens, "the retry's cost came back")
	r.tokens = 10
	r.next(ctx, 1, 0, 0, ok, nil)
	assert.Equal(t, 11, r.tokens, "a first-attempt success returns one token")
	r.tokens = 4
	_, _, again = r.next(ctx, 1, 0, 0, unavailable, nil)
	assert.False(t, again, "no retry when the budget is short of the cost")
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
	assert.ErrorIs(t, err, ErrServer, "the error as the call returns it")
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
	c := newStubClient(t, s.URL, WithRetry(RetryPolicy{MaxBackoff: 20 * time.Second}))
	start := time.Now()
	require.Error(t, listProjects(c, t.Context()))
	assert.EqualValues(t, 1, calls.Load())
	// It did not sleep first (MaxBackoff, 20s), whatever the machine's load.
	assert.Less(t, time.Since(start), 10*time.Second)
}

func TestContextCancelDuringBackoffReturnsPromptly(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "25")
		writeJSON(w, 503, `{}`)
	})
	c := newStubClient(t, s.URL, WithRetry(RetryPolicy{MaxBackoff: time.Minute, MaxElapsed: time.Minute}))
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	err := listProjects(c, ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	// Not after the 25s Retry-After (the operation's own 30s timeout allows
	// it); the bound leaves a loaded machine room.
	assert.Less(t, time.Since(start), 10*time.Second)
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
