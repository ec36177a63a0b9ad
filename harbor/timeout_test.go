package harbor

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// A POST whose answer comes after the deadline (the client's WithTimeout,
// the context's deadline) or a cancel matches ErrOutcomeUnknown and the
// context's error; the server did receive it.
func TestPostAnsweredTooLateIsOutcomeUnknown(t *testing.T) {
	create := func(c *Client, ctx context.Context) error {
		_, err := c.API().Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "p"}))
		return err
	}
	check := func(t *testing.T, err error, cause error) {
		t.Helper()
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrOutcomeUnknown)
		assert.ErrorIs(t, err, cause)
		assert.Contains(t, err.Error(), "POST /api/v2.0/projects")
	}
	t.Run("WithTimeout", func(t *testing.T) {
		err := untilReceived(t, func(url string, d time.Duration) error {
			return create(newStubClient(t, url, WithTimeout(d)), t.Context())
		})
		check(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), "WithTimeout")
	})
	t.Run("deadline", func(t *testing.T) {
		err := untilReceived(t, func(url string, d time.Duration) error {
			ctx, cancel := context.WithTimeout(t.Context(), d)
			defer cancel()
			return create(newStubClient(t, url), ctx)
		})
		check(t, err, context.DeadlineExceeded)
	})
	t.Run("cancel", func(t *testing.T) {
		received := make(chan struct{})
		s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body) // so the server notices the client leaving
			close(received)
			<-r.Context().Done() // answer only after the client gave up
		})
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		go func() { <-received; cancel() }()
		check(t, create(newStubClient(t, s.URL), ctx), context.Canceled)
	})
}

// A GET that times out is no ErrOutcomeUnknown; a POST whose context was
// done before it was sent is refused without a request.
func TestTimeoutsThatAreNotOutcomeUnknown(t *testing.T) {
	var posts atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
		}
		<-r.Context().Done()
	})
	c := newStubClient(t, s.URL, WithTimeout(10*time.Millisecond), WithoutRetry())
	err := listProjects(c, t.Context())
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = c.API().Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "p"}))
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	s.Close() // every request that reached the server has been handled
	assert.Zero(t, posts.Load(), "the POST was not sent")
	// The GET's connection, if its dial was not overtaken by the 10ms timeout.
	assert.LessOrEqual(t, s.conns.Load(), int64(1), "no connection for the POST")
}

// untilReceived runs call against a new stub that reads the whole request
// and answers only after the client has left, with a deadline d that call
// gives the client (WithTimeout or the context's), and returns call's error
// once the server did receive the request.
//
// A deadline that ends a request after it was sent is what the callers
// test; on a loaded machine a short one can expire before the request is
// even written (dial, scheduling), and then the server never sees it. So d
// starts short and grows until the request arrived; the stub is closed
// before the check, so every request that reached it has been read.
func untilReceived(t *testing.T, call func(url string, d time.Duration) error) error {
	t.Helper()
	for d := 20 * time.Millisecond; ; d *= 4 {
		received := make(chan struct{}, 1)
		s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
			if _, err := io.Copy(io.Discard, r.Body); err == nil {
				received <- struct{}{}
			}
			<-r.Context().Done() // answer only after the client gave up
		})
		err := call(s.URL, d)
		s.Close() // waits for the handler: received holds whether the request arrived
		select {
		case <-received:
			return err
		default:
		}
		require.Less(t, d, time.Minute, "the request never reached the server; last error: %v", err)
	}
}

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
