package harbor

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// RetryPolicy says how the client retries idempotent requests (GET, HEAD,
// PUT, DELETE, OPTIONS) that failed on a connection error or were answered
// 429, 502, 503 or 504. POST and PATCH are never retried: a retried
// POST /robots would create a second robot. A zero field means its default.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts, the first included. Default 3.
	MaxAttempts int
	// BaseDelay is the first backoff; each later one doubles, capped at
	// MaxBackoff, each drawn uniformly from [d/2, d]. Default 200ms.
	BaseDelay time.Duration
	// MaxBackoff caps one wait; a Retry-After asking for more ends the
	// retries at once with that answer. Default 20s.
	MaxBackoff time.Duration
	// MaxElapsed bounds one request's time, waits included: no retry starts
	// after it. Default 1m.
	MaxElapsed time.Duration
	// Budget is the client-wide retry token bucket (as aws-sdk-go-v2's
	// standard retryer): a retry costs RetryCost (a connection error twice
	// that), a success returns one token or its last retry's cost, and no
	// retry happens while the bucket holds less than the cost. Default 500.
	Budget int
	// RetryCost is the token cost of one retry. Default 5.
	RetryCost int
}

// DefaultRetryPolicy returns the policy NewClient uses unless told otherwise.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, BaseDelay: 200 * time.Millisecond, MaxBackoff: 20 * time.Second,
		MaxElapsed: time.Minute, Budget: 500, RetryCost: 5}
}

func (p RetryPolicy) withDefaults() (RetryPolicy, error) {
	d := DefaultRetryPolicy()
	switch {
	case p.MaxAttempts < 0:
		return p, fmt.Errorf("RetryPolicy.MaxAttempts is %d: must be 0 (default) or more", p.MaxAttempts)
	case p.BaseDelay < 0, p.MaxBackoff < 0, p.MaxElapsed < 0:
		return p, errors.New("RetryPolicy durations must not be negative")
	case p.Budget < 0, p.RetryCost < 0:
		return p, errors.New("RetryPolicy.Budget and RetryCost must not be negative")
	}
	p.MaxAttempts, p.BaseDelay = cmp.Or(p.MaxAttempts, d.MaxAttempts), cmp.Or(p.BaseDelay, d.BaseDelay)
	p.MaxBackoff, p.MaxElapsed = cmp.Or(p.MaxBackoff, d.MaxBackoff), cmp.Or(p.MaxElapsed, d.MaxElapsed)
	p.Budget, p.RetryCost = cmp.Or(p.Budget, d.Budget), cmp.Or(p.RetryCost, d.RetryCost)
	return p, nil
}

// retryer applies a RetryPolicy; its token bucket is shared by every request
// of one Client.
type retryer struct {
	policy RetryPolicy
	mu     sync.Mutex
	tokens int
}

func newRetryer(p RetryPolicy) *retryer {
	return &retryer{policy: p, tokens: p.Budget}
}

// next decides, after attempt number attempt (1-based), whether to try again
// and how long to wait first; spent, the last retry's cost, is refunded on success.
func (r *retryer) next(ctx context.Context, attempt, spent int, elapsed time.Duration, resp *http.Response, err error) (delay time.Duration, cost int, again bool) {
	if ctx.Err() != nil {
		return 0, 0, false
	}
	switch {
	case err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		return 0, 0, false
	case err != nil:
		cost = 2 * r.policy.RetryCost
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusBadGateway ||
		resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusGatewayTimeout:
		cost = r.policy.RetryCost
	default:
		if resp.StatusCode < 500 { // a success (or a final answer) refills the bucket
			r.mu.Lock()
			r.tokens = min(r.tokens+max(spent, 1), r.policy.Budget)
			r.mu.Unlock()
		}
		return 0, 0, false
	}
	if attempt >= r.policy.MaxAttempts {
		return 0, 0, false
	}
	delay = r.backoff(attempt)
	if resp != nil {
		if ra, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			if ra > r.policy.MaxBackoff {
				return 0, 0, false // the server asks for more patience than the policy has
			}
			delay = ra
		}
	}
	if dl, ok := ctx.Deadline(); elapsed+delay > r.policy.MaxElapsed || ok && time.Until(dl) < delay {
		return 0, 0, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tokens < cost {
		return 0, 0, false
	}
	r.tokens -= cost
	return delay, cost, true
}

func (r *retryer) backoff(attempt int) time.Duration {
	d := r.policy.BaseDelay << (attempt - 1)
	if d <= 0 || d > r.policy.MaxBackoff {
		d = r.policy.MaxBackoff
	}
	// Equal jitter: uniformly in [d/2, d].
	return d/2 + rand.N(d/2+1)
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP date. Too
// many seconds for a time.Duration are the longest one, which no policy accepts.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseUint(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if err != nil || s > uint64(math.MaxInt64/time.Second) {
			return math.MaxInt64, true
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// retryTransport retries idempotent requests (see RetryPolicy); its
// retryer, and so the budget, is shared by the client's requests.
type retryTransport struct {
	next http.RoundTripper
	r    *retryer
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !isIdempotent(req.Method) {
		return t.next.RoundTrip(req)
	}
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		if err := makeReplayable(req); err != nil {
			return nil, err
		}
	}
	ctx, start, spent, c := req.Context(), time.Now(), 0, callOf(req.Context())
	for attempt := 1; ; attempt++ {
		if c != nil {
			c.attempt = attempt // for the log record
		}
		r := req
		if attempt > 1 {
			r = req.WithContext(ctx)
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				r.Body = body
			}
		}
		resp, err := t.next.RoundTrip(r)
		delay, cost, again := t.r.next(ctx, attempt, spent, time.Since(start), resp, err)
		if !again {
			return resp, err
		}
		if resp != nil {
			discard(resp)
		}
		if err := sleep(ctx, delay); err != nil {
			return nil, err
		}
		spent = cost
	}
}

func isIdempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// makeReplayable reads a request body into memory so a retry can send it
// again (the runtime gives most bodies a GetBody already).
func makeReplayable(req *http.Request) error {
	data, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return fmt.Errorf("%s %s: reading the request body: %w", req.Method, req.URL.Path, err)
	}
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	req.Body, _ = req.GetBody()
	req.ContentLength = int64(len(data))
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d): // collected when it is not read (Go 1.23+)
		return nil
	}
}
