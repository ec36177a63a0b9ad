package harbor_test

// More reliability tests (see reliability_test.go): cancels, timeouts,
// outages and the retry budget, refused connections, foreign bodies.

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// Cancelling the context while the client waits out a long Retry-After
// returns promptly (not after the 25s it asked for) with
// context.Canceled, after one request.
func TestReliabilityCancelDuringBackoffReturnsPromptly(t *testing.T) {
	srv, c := relServer(t, harbor.WithRetry(harbor.RetryPolicy{BaseDelay: time.Millisecond, MaxBackoff: time.Minute, MaxElapsed: time.Minute}))
	srv.FailNext(1, http.StatusServiceUnavailable, harbortest.OnPath(relProjectsPath), harbortest.WithRetryAfter("25"))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var cancelledAt time.Time
	var mu sync.Mutex
	time.AfterFunc(100*time.Millisecond, func() {
		mu.Lock()
		cancelledAt = time.Now()
		mu.Unlock()
		cancel()
	})
	_, err := relListProjects(ctx, c)
	returned := time.Now()
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	mu.Lock()
	defer mu.Unlock()
	require.False(t, cancelledAt.IsZero(), "returned before the cancel: %v", err)
	assert.Less(t, returned.Sub(cancelledAt), 10*time.Second, "not after the 25s Retry-After")
	assert.Equal(t, 1, relCount(srv, "GET", relProjectsPath))
}

// A slow server (a minute per answer) against WithTimeout(200ms) returns a
// deadline error promptly; the timeout is not retried.
func TestReliabilitySlowServerHitsTimeout(t *testing.T) {
	srv, c := relServer(t, harbor.WithRetry(relFast), harbor.WithTimeout(200*time.Millisecond))
	_, err := relListProjects(t.Context(), c) // logged in before the server slows down
	require.NoError(t, err)
	srv.ResetRequests()
	srv.SetLatency(time.Minute)
	start := time.Now()
	_, err = relListProjects(t.Context(), c)
	elapsed := time.Since(start)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.GreaterOrEqual(t, elapsed, 150*time.Millisecond)
	assert.Less(t, elapsed, 20*time.Second, "not after the server's minute")
	_, isHarbor := harbor.AsError(err)
	assert.False(t, isHarbor, "a timeout is not a Harbor answer")
	assert.Equal(t, 1, relCount(srv, "GET", relProjectsPath), "a timeout is not retried")

	// The caller's own deadline works the same without WithTimeout.
	plain, err := harbor.NewClient(srv.URL, harbor.WithRetry(relFast))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start = time.Now()
	err = plain.Ping(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 20*time.Second, "not after the server's minute")
}

// During an outage (every answer 503) the client-wide retry budget bounds
// the load: with Budget 20 and RetryCost 5, 40 calls from 8 goroutines
// send 40 first attempts plus at most 4 retries, not 40×MaxAttempts. After
// the outage, successes refill the budget and retries come back.
func TestReliabilityRetryBudgetBoundsOutage(t *testing.T) {
	policy := harbor.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Budget: 20, RetryCost: 5}
	srv, c := relServer(t, harbor.WithRetry(policy))
	srv.FailNext(1_000_000, http.StatusServiceUnavailable, harbortest.OnPath(relProjectsPath))

	const workers, perWorker = 8, 5
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures int
	for range workers {
		wg.Go(func() {
			for range perWorker {
				_, err := relListProjects(t.Context(), c)
				if harbor.IsStatus(err, http.StatusServiceUnavailable) {
					mu.Lock()
					failures++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	calls := workers * perWorker
	assert.Equal(t, calls, failures, "every call fails with the server's 503")
	assert.Equal(t, calls+policy.Budget/policy.RetryCost, relCount(srv, "GET", relProjectsPath),
		"requests seen = calls + budget/cost, not calls×MaxAttempts (%d)", calls*policy.MaxAttempts)

	// The budget is empty: a single 503 elsewhere is not retried.
	srv.FailNext(1, http.StatusServiceUnavailable, harbortest.OnPath("/api/v2.0/users/current"))
	_, err := c.Whoami(t.Context())
	assert.True(t, harbor.IsStatus(err, http.StatusServiceUnavailable), "got %v", err)
	// Each first-attempt success returns one token; five make one retry.
	for range policy.RetryCost {
		require.NoError(t, c.Ping(t.Context()))
	}
	srv.FailNext(1, http.StatusServiceUnavailable, harbortest.OnPath("/api/v2.0/users/current"))
	who, err := c.Whoami(t.Context())
	require.NoError(t, err, "the refilled budget pays for one retry")
	assert.Equal(t, "admin", who.Name)
}

// Concurrent callers ride out a shared burst of 503s: all 32 calls succeed
// and the server saw exactly one extra request per injected failure.
func TestReliabilityConcurrentCallersRideOutBurst(t *testing.T) {
	srv, c := relServer(t, harbor.WithRetry(harbor.RetryPolicy{MaxAttempts: 30, BaseDelay: time.Millisecond, MaxBackoff: 5 * time.Millisecond}))
	const burst, callers = 20, 32
	srv.FailNext(burst, http.StatusServiceUnavailable, harbortest.OnPath(relProjectsPath))
	var wg sync.WaitGroup
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() {
			_, errs[i] = relListProjects(t.Context(), c)
		})
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "caller %d", i)
	}
	assert.Equal(t, callers+burst, relCount(srv, "GET", relProjectsPath))
}

// A connection refused (nothing listening) is a transport error, retried up
// to MaxAttempts (one debug log record per attempt), never an *Error, and
// its text names the URL.
func TestReliabilityConnectionRefusedIsRetriedThenReported(t *testing.T) {
	srv := harbortest.NewServer()
	url := srv.URL
	srv.Close()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := harbor.NewClient(url, harbor.WithRetry(relFast), harbor.WithLogger(logger))
	require.NoError(t, err)
	start := time.Now()
	err = c.Ping(t.Context())
	require.Error(t, err)
	assert.Equal(t, relFast.MaxAttempts, strings.Count(logs.String(), `"msg":"harbor request"`), "one log record per attempt")
	_, isHarbor := harbor.AsError(err)
	assert.False(t, isHarbor)
	assert.False(t, errors.Is(err, harbor.ErrOutcomeUnknown), "GET is never outcome-unknown")
	assert.True(t, strings.Contains(err.Error(), url), "names the URL: %v", err)
	assert.Less(t, time.Since(start), 20*time.Second, "four attempts, 20ms backoff at most")
}

// A proxy or a failing Harbor may answer a status the spec declares for the
// operation (401, 403, 500 ...) with a body that is not Harbor's error JSON.
// The caller must still get an *Error with the status (ErrServer,
// ErrUnauthorized ...), not a bare JSON or consumer error that has lost it.
func TestReliabilityDeclaredStatusWithForeignBodyKeepsStatus(t *testing.T) {
	cases := []struct {
		status      int
		contentType string
		body        string
		sentinel    error
	}{
		{http.StatusInternalServerError, "text/plain", "Internal Server Error", harbor.ErrServer},
		{http.StatusInternalServerError, "", `{"errors":[{"code":"X","message":"m"}]}`, harbor.ErrServer},
		{http.StatusInternalServerError, "application/json", "upstream timed out", harbor.ErrServer},
		{http.StatusInternalServerError, "application/json", `{"errors":"x"}`, harbor.ErrServer},
		{http.StatusUnauthorized, "application/json", `{`, harbor.ErrUnauthorized},
		{http.StatusUnauthorized, "text/plain", "Unauthorized", harbor.ErrUnauthorized},
	}
	for _, tc := range cases {
		stub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tc.contentType != "" {
				w.Header().Set("Content-Type", tc.contentType)
			}
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		}))
		c, err := harbor.NewClient(stub.URL, harbor.WithBasicAuth("admin", "x"), harbor.WithoutRetry())
		require.NoError(t, err)
		_, err = c.API().Project.GetProject(t.Context(), project.NewGetProjectParams().WithProjectNameOrID("x"))
		he, ok := harbor.AsError(err)
		if assert.True(t, ok, "%d %s %q: AsError found no answer in %T: %v", tc.status, tc.contentType, tc.body, err, err) {
			assert.Equal(t, tc.status, he.StatusCode)
			if !strings.HasPrefix(tc.body, "{") {
				assert.Contains(t, he.Error(), tc.body, "the foreign body's text is kept")
			}
		}
		assert.ErrorIs(t, he, tc.sentinel, "%d %s %q", tc.status, tc.contentType, tc.body)
		if tc.status == http.StatusUnauthorized {
			_, err = c.Whoami(t.Context())
			assert.ErrorIs(t, err, harbor.ErrUnauthorized, "Whoami: %d %s %q", tc.status, tc.contentType, tc.body)
		}
		stub.Close()
	}
}
