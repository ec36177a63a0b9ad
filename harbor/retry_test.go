package harbor

import (
	"math"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

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
