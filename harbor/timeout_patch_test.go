package harbor

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A PATCH (RefreshRobotSecret) whose answer comes after WithTimeout, the
// context's deadline or a cancel, or whose connection is cut after the
// server read it, matches ErrOutcomeUnknown, and the context's error where
// one ended it: Harbor may have changed the secret.
func TestPatchThatMayHaveReachedHarborIsOutcomeUnknown(t *testing.T) {
	received := make(chan struct{}, 1)
	hang := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		received <- struct{}{}
		<-r.Context().Done()
	})
	cut := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	for name, tc := range map[string]struct {
		url   string
		opts  []Option
		ctx   func() (context.Context, context.CancelFunc)
		cause error // nil: a cut
	}{
		"WithTimeout": {hang.URL, []Option{WithTimeout(20 * time.Millisecond)}, func() (context.Context, context.CancelFunc) {
			return context.WithCancel(t.Context())
		}, context.DeadlineExceeded},
		"deadline": {hang.URL, nil, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(t.Context(), 20*time.Millisecond)
		}, context.DeadlineExceeded},
		"cancel": {hang.URL, nil, func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(t.Context())
			go func() { <-received; cancel(); received <- struct{}{} }()
			return ctx, cancel
		}, context.Canceled},
		"cut": {cut.URL, nil, func() (context.Context, context.CancelFunc) {
			return context.WithCancel(t.Context())
		}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			c := newStubClient(t, tc.url, append(tc.opts, WithBasicAuth("admin", "Harbor12345"))...)
			ctx, cancel := tc.ctx()
			_, err := c.RefreshRobotSecret(ctx, 7, "")
			cancel()
			if tc.url == hang.URL {
				<-received
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			if tc.cause != nil {
				assert.ErrorIs(t, err, tc.cause)
			}
			assert.Contains(t, err.Error(), "PATCH")
			assert.Contains(t, err.Error(), "/robots/7")
		})
	}
}
