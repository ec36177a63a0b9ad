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
	refresh := func(t *testing.T, url string, ctx context.Context, opts ...Option) error {
		c := newStubClient(t, url, append(opts, WithBasicAuth("admin", "Harbor12345"))...)
		_, err := c.RefreshRobotSecret(ctx, 7, "")
		return err
	}
	check := func(t *testing.T, err error, cause error) {
		t.Helper()
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrOutcomeUnknown)
		if cause != nil {
			assert.ErrorIs(t, err, cause)
		}
		assert.Contains(t, err.Error(), "PATCH")
		assert.Contains(t, err.Error(), "/robots/7")
	}
	t.Run("WithTimeout", func(t *testing.T) {
		check(t, untilReceived(t, func(url string, d time.Duration) error {
			return refresh(t, url, t.Context(), WithTimeout(d))
		}), context.DeadlineExceeded)
	})
	t.Run("deadline", func(t *testing.T) {
		check(t, untilReceived(t, func(url string, d time.Duration) error {
			ctx, cancel := context.WithTimeout(t.Context(), d)
			defer cancel()
			return refresh(t, url, ctx)
		}), context.DeadlineExceeded)
	})
	t.Run("cancel", func(t *testing.T) {
		received := make(chan struct{})
		hang := newStub(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			close(received)
			<-r.Context().Done()
		})
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		go func() { <-received; cancel() }()
		check(t, refresh(t, hang.URL, ctx), context.Canceled)
	})
	t.Run("cut", func(t *testing.T) {
		cut := newStub(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		})
		check(t, refresh(t, cut.URL, t.Context()), nil)
	})
}
