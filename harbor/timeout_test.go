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
