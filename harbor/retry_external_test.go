package harbor_test

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
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// Reliability tests: the facade against harbortest's injected faults (error
// bursts, Retry-After, cut connections, latency), with millisecond backoffs
// so that every test is bounded in time. The stub-based tests in
// transport_test.go pin the retry mechanics; these check the same promises
// end to end against the in-memory Harbor, server state included.

const (
	relProjectsPath = "/api/v2.0/projects"
	relRobotsPath   = "/api/v2.0/robots"
)

// relFast is a retry policy with millisecond backoffs, so retries cost no
// wall-clock time worth mentioning.
var relFast = harbor.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxBackoff: 20 * time.Millisecond}

// relServer starts an in-memory Harbor and an administrator client with the
// given extra options.
func relServer(t *testing.T, opts ...harbor.Option) (*harbortest.Server, *harbor.Client) {
	t.Helper()
	srv := harbortest.NewServer()
	t.Cleanup(srv.Close)
	c, err := harbor.NewClient(srv.URL, append([]harbor.Option{harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword)}, opts...)...)
	require.NoError(t, err)
	return srv, c
}

// relCount counts the requests the server saw with method and path.
func relCount(srv *harbortest.Server, method, path string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

func relListProjects(ctx context.Context, c *harbor.Client) ([]*models.Project, error) {
	res, err := c.API().Project.ListProjects(ctx, project.NewListProjectsParams())
	if err != nil {
		return nil, err
	}
	return res.Payload, nil
}

func relProjectNames(ps []*models.Project) []string {
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	return names
}

// A burst of 503s shorter than MaxAttempts is ridden out: the GET succeeds
// with the real answer, and the server saw exactly burst+1 requests. Every
// retryable status behaves the same.
func TestReliabilityBurstOfUnavailableThenSuccess(t *testing.T) {
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout, http.StatusTooManyRequests} {
		srv, c := relServer(t, harbor.WithRetry(relFast))
		srv.FailNext(relFast.MaxAttempts-1, status, harbortest.OnMethod("GET"), harbortest.OnPath(relProjectsPath))
		ps, err := relListProjects(t.Context(), c)
		require.NoError(t, err, "status %d", status)
		assert.Equal(t, []string{"library"}, relProjectNames(ps), "status %d", status)
		assert.Equal(t, relFast.MaxAttempts, relCount(srv, "GET", relProjectsPath), "status %d", status)
	}
}

// A burst as long as MaxAttempts is not ridden out: the caller gets Harbor's
// 503 as an *Error (ErrServer) after exactly MaxAttempts requests, and the
// next call, once the burst is over, succeeds.
func TestReliabilityBurstLongerThanAttemptsFailsThenRecovers(t *testing.T) {
	srv, c := relServer(t, harbor.WithRetry(relFast))
	srv.FailNext(relFast.MaxAttempts, http.StatusServiceUnavailable, harbortest.OnPath(relProjectsPath))
	_, err := relListProjects(t.Context(), c)
	require.Error(t, err)
	he, ok := harbor.AsError(err)
	require.True(t, ok, "not a Harbor answer: %v", err)
	assert.Equal(t, http.StatusServiceUnavailable, he.StatusCode)
	assert.ErrorIs(t, he, harbor.ErrServer)
	assert.Equal(t, relFast.MaxAttempts, relCount(srv, "GET", relProjectsPath))

	_, err = relListProjects(t.Context(), c)
	require.NoError(t, err)
	assert.Equal(t, relFast.MaxAttempts+1, relCount(srv, "GET", relProjectsPath))
}

// 429 with Retry-After: 1 makes the client wait about a second (not its 1ms
// backoff) before the retry, which succeeds.
func TestReliabilityTooManyRequestsHonoursRetryAfter(t *testing.T) {
	srv, c := relServer(t, harbor.WithRetry(harbor.RetryPolicy{BaseDelay: time.Millisecond, MaxBackoff: 5 * time.Second}))
	srv.FailNext(1, http.StatusTooManyRequests, harbortest.OnPath(relProjectsPath), harbortest.WithRetryAfter("1"))
	start := time.Now()
	_, err := relListProjects(t.Context(), c)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 950*time.Millisecond)

	var times []time.Time
	for _, r := range srv.Requests() {
		if r.Path == relProjectsPath {
			times = append(times, r.Time)
		}
	}
	require.Len(t, times, 2)
	assert.GreaterOrEqual(t, times[1].Sub(times[0]), 950*time.Millisecond, "gap between the 429 and the retry")
}

// A client-wide timeout shorter than the Retry-After the server asks for
// gives up at once with the server's answer instead of sleeping past its
// deadline.
func TestReliabilityRetryAfterBeyondTimeoutGivesUpAtOnce(t *testing.T) {
	srv, c := relServer(t, harbor.WithRetry(harbor.RetryPolicy{BaseDelay: time.Millisecond, MaxBackoff: time.Minute}), harbor.WithTimeout(20*time.Second))
	srv.FailNext(5, http.StatusServiceUnavailable, harbortest.OnPath(relProjectsPath), harbortest.WithRetryAfter("25"))
	start := time.Now()
	_, err := relListProjects(t.Context(), c)
	require.Error(t, err)
	// Not at the 20s deadline (the Retry-After of 25s is within the
	// operation's own 30s timeout); the bound leaves a loaded machine room.
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.True(t, harbor.IsStatus(err, http.StatusServiceUnavailable), "got %v", err)
	assert.Equal(t, 1, relCount(srv, "GET", relProjectsPath))
}

// A connection cut in the middle of a GET's answer (status and half the
// body sent) is retried, and the retry's complete answer is what the caller
// gets. The same holds when the server had performed the request.
func TestReliabilityCutMidBodyOnGetIsRetried(t *testing.T) {
	for _, apply := range []bool{false, true} {
		srv, c := relServer(t, harbor.WithRetry(relFast))
		opts := []harbortest.FaultOption{harbortest.OnMethod("GET"), harbortest.OnPath(relProjectsPath)}
		if apply {
			opts = append(opts, harbortest.AfterApply())
		}
		srv.CutNext(2, opts...)
		ps, err := relListProjects(t.Context(), c)
		require.NoError(t, err, "AfterApply %v", apply)
		assert.Equal(t, []string{"library"}, relProjectNames(ps), "the half answer is never decoded")
		assert.Equal(t, 3, relCount(srv, "GET", relProjectsPath))
	}
}

// POST /robots cut after Harbor created the robot: not retried (a retry
// would create a second robot or fail with 409), the error matches
// ErrOutcomeUnknown and says so, exactly one robot exists, and FindRobot
// (the documented way to learn the outcome) finds it.
func TestReliabilityCutOnCreateRobotAfterApplyIsOutcomeUnknown(t *testing.T) {
	srv, c := relServer(t, harbor.WithRetry(relFast))
	srv.CutNext(1, harbortest.OnMethod("POST"), harbortest.OnPath(relRobotsPath), harbortest.AfterApply())
	created, err := c.CreateRobot(t.Context(), harbor.SystemRobot("cut", 30, harbor.Allow(harbor.ResourceProject, harbor.ActionCreate)))
	require.Error(t, err)
	assert.Nil(t, created)
	assert.ErrorIs(t, err, harbor.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "outcome unknown")
	assert.Contains(t, err.Error(), "POST "+relRobotsPath)
	assert.Equal(t, 1, relCount(srv, "POST", relRobotsPath), "POST sent once")

	robots := srv.Robots()
	require.Len(t, robots, 1, "Harbor performed the request once")
	assert.Equal(t, "robot$cut", robots[0].Name)
	found, err := c.FindRobot(t.Context(), "cut")
	require.NoError(t, err)
	assert.Equal(t, robots[0].ID, found.ID)

	// Blindly trying again is what the error warns against.
	_, err = c.CreateRobot(t.Context(), harbor.SystemRobot("cut", 30, harbor.Allow(harbor.ResourceProject, harbor.ActionCreate)))
	assert.ErrorIs(t, err, harbor.ErrConflict)
	assert.Len(t, srv.Robots(), 1)
}

// POST /robots cut before Harbor performed it: the client cannot tell the
// difference, so the error is the same ErrOutcomeUnknown; the server state
// agrees with what the server did (no robot), FindRobot says not found and
// creating it again succeeds.
func TestReliabilityCutOnCreateRobotBeforeApplyIsOutcomeUnknown(t *testing.T) {
	srv, c := relServer(t, harbor.WithRetry(relFast))
	srv.CutNext(1, harbortest.OnMethod("POST"), harbortest.OnPath(relRobotsPath))
	rc := harbor.SystemRobot("cut", 30, harbor.Allow(harbor.ResourceProject, harbor.ActionCreate))
	_, err := c.CreateRobot(t.Context(), rc)
	require.Error(t, err)
	assert.ErrorIs(t, err, harbor.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "outcome unknown")
	assert.Equal(t, 1, relCount(srv, "POST", relRobotsPath), "POST sent once")
	assert.Empty(t, srv.Robots(), "the server did not perform the cut request")

	_, err = c.FindRobot(t.Context(), "cut")
	assert.ErrorIs(t, err, harbor.ErrNotFound)
	created, err := c.CreateRobot(t.Context(), rc)
	require.NoError(t, err)
	robots := srv.Robots()
	require.Len(t, robots, 1)
	assert.Equal(t, created.ID, robots[0].ID)
}

// A 503 on POST /projects is not retried either (POST never is), and the
// project does not exist: FailNext does not perform the request.
func TestReliabilityPostIsNotRetriedOnUnavailable(t *testing.T) {
	srv, c := relServer(t, harbor.WithRetry(relFast))
	srv.FailNext(1, http.StatusServiceUnavailable, harbortest.OnMethod("POST"), harbortest.OnPath(relProjectsPath))
	_, err := c.API().Project.CreateProject(t.Context(), project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "p1"}))
	require.Error(t, err)
	assert.True(t, harbor.IsStatus(err, http.StatusServiceUnavailable), "got %v", err)
	assert.Equal(t, 1, relCount(srv, "POST", relProjectsPath))
	assert.Len(t, srv.Projects(), 1, "only library")
}

// DELETE is idempotent and retried on a 503; the project is deleted once.
func TestReliabilityDeleteRetriedOnUnavailable(t *testing.T) {
	srv, c := relServer(t, harbor.WithRetry(relFast))
	srv.AddProject("gone", false)
	srv.FailNext(2, http.StatusServiceUnavailable, harbortest.OnMethod("DELETE"))
	_, err := c.API().Project.DeleteProject(t.Context(), project.NewDeleteProjectParams().WithProjectNameOrID("gone").WithXIsResourceName(ptrTrue()))
	require.NoError(t, err)
	assert.Equal(t, 3, relCount(srv, "DELETE", relProjectsPath+"/gone"))
	assert.Len(t, srv.Projects(), 1, "only library")
}

// A DELETE whose answer is cut after Harbor performed it is retried (DELETE
// is idempotent), and Harbor answers the retry 404: the project is gone but
// the caller sees ErrNotFound. Callers deleting through a flaky network
// should treat ErrNotFound on delete as done. This documents the behaviour.
func TestReliabilityDeleteCutAfterApplyRetriesInto404(t *testing.T) {
	srv, c := relServer(t, harbor.WithRetry(relFast))
	srv.AddProject("gone", false)
	srv.CutNext(1, harbortest.OnMethod("DELETE"), harbortest.AfterApply())
	_, err := c.API().Project.DeleteProject(t.Context(), project.NewDeleteProjectParams().WithProjectNameOrID("gone").WithXIsResourceName(ptrTrue()))
	require.Error(t, err)
	assert.True(t, harbor.IsStatus(err, http.StatusNotFound), "got %v", err)
	assert.Equal(t, 2, relCount(srv, "DELETE", relProjectsPath+"/gone"))
	assert.Len(t, srv.Projects(), 1, "the project was deleted by the first, cut, request")
}

func ptrTrue() *bool { v := true; return &v }

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
