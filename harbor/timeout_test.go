package harbor

import (
	"context"
	"io"
	"net/http"
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
	received := make(chan struct{}, 1)
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so the server notices the client leaving
		received <- struct{}{}
		<-r.Context().Done() // answer only after the client gave up
	})
	create := func(c *Client, ctx context.Context) error {
		_, err := c.API().Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "p"}))
		return err
	}
	for name, tc := range map[string]struct {
		opts  []Option
		ctx   func() (context.Context, context.CancelFunc)
		cause error
	}{
		"WithTimeout": {[]Option{WithTimeout(20 * time.Millisecond)}, func() (context.Context, context.CancelFunc) {
			return context.WithCancel(t.Context())
		}, context.DeadlineExceeded},
		"deadline": {nil, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(t.Context(), 20*time.Millisecond)
		}, context.DeadlineExceeded},
		"cancel": {nil, func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(t.Context())
			go func() { <-received; cancel(); received <- struct{}{} }()
			return ctx, cancel
		}, context.Canceled},
	} {
		c := newStubClient(t, s.URL, tc.opts...)
		ctx, cancel := tc.ctx()
		err := create(c, ctx)
		cancel()
		<-received
		require.Error(t, err, name)
		assert.ErrorIs(t, err, ErrOutcomeUnknown, name)
		assert.ErrorIs(t, err, tc.cause, name)
		assert.Contains(t, err.Error(), "POST /api/v2.0/projects", name)
		if name == "WithTimeout" {
			assert.Contains(t, err.Error(), "WithTimeout", name)
		}
	}
}

// A GET that times out is no ErrOutcomeUnknown; a POST whose context was
// done before it was sent is refused without a request.
func TestTimeoutsThatAreNotOutcomeUnknown(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	c := newStubClient(t, s.URL, WithTimeout(10*time.Millisecond), WithoutRetry())
	err := listProjects(c, t.Context())
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = c.API().Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "p"}))
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Zero(t, s.conns.Load()-1, "only the GET's connection")
}
