package harbor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

func TestErrorClasses(t *testing.T) {
	classes := []struct {
		status   int
		sentinel error
	}{
		{400, ErrBadRequest}, {401, ErrUnauthorized}, {403, ErrForbidden}, {404, ErrNotFound},
		{409, ErrConflict}, {412, ErrPreconditionFailed}, {422, ErrUnprocessable},
		{429, ErrTooManyRequests}, {500, ErrServer}, {503, ErrServer},
	}
	all := []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict,
		ErrPreconditionFailed, ErrUnprocessable, ErrTooManyRequests, ErrServer}
	for _, tc := range classes {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", "harbor-assigned-1") // as Harbor does
				writeJSON(w, tc.status, `{"errors":[{"code":"CODE_X","message":"harbor says no"}]}`)
			})
			c := newStubClient(t, s.URL, WithoutRetry())
			// ListProjects declares 401 and 500 only: the other statuses come
			// back as *runtime.APIError, so both paths are exercised.
			_, err := c.API().Project.ListProjects(t.Context(), project.NewListProjectsParams())
			require.Error(t, err)
			he, ok := AsError(err)
			require.True(t, ok, "AsError(%T)", err)
			assert.Equal(t, tc.status, he.StatusCode)
			assert.Equal(t, "GET", he.Method)
			assert.Equal(t, "/api/v2.0/projects", he.Path)
			assert.Equal(t, "harbor-assigned-1", he.RequestID)
			require.Len(t, he.Errors, 1)
			assert.Equal(t, ErrorItem{Code: "CODE_X", Message: "harbor says no"}, he.Errors[0])
			for _, s := range all {
				assert.Equal(t, s == tc.sentinel, errors.Is(he, s), "errors.Is(%d, %v)", tc.status, s)
			}
			assert.True(t, IsStatus(err, tc.status))
			msg := he.Error()
			assert.True(t, strings.HasPrefix(msg, "GET /"), msg)
			assert.Contains(t, msg, "harbor says no")
			assert.NotContains(t, msg, "\n")
		})
	}
}

// getProject declares 200, 401 and 500 only: a 404 comes back from
// go-openapi as *runtime.APIError with the body closed. The facade keeps it.
func TestUndeclaredStatusKeepsHarborMessage(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-404")
		writeJSON(w, http.StatusNotFound, `{"errors":[{"code":"NOT_FOUND","message":"project nope not found"}]}`)
	})
	c := newStubClient(t, s.URL)
	_, err := c.API().Project.GetProject(t.Context(), project.NewGetProjectParams().WithProjectNameOrID("nope"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "project nope not found", "even the raw go-openapi error shows Harbor's body")
	he, ok := AsError(err)
	require.True(t, ok)
	assert.Equal(t, 404, he.StatusCode)
	assert.Equal(t, "/api/v2.0/projects/nope", he.Path, "the real path, not the pattern")
	assert.Equal(t, "req-404", he.RequestID)
	assert.Equal(t, "project nope not found", he.Message())
	assert.ErrorIs(t, he, ErrNotFound)
	assert.Equal(t, "GET /api/v2.0/projects/nope: 404 Not Found: NOT_FOUND: project nope not found (request id req-404)", he.Error())
}

func TestNonJSONAnswerSaysSoWithURL(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<html><body>Harbor portal</body></html>"))
	})
	c := newStubClient(t, s.URL)
	_, err := c.API().Project.ListProjects(t.Context(), project.NewListProjectsParams())
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrUnexpectedContent)
	assert.Contains(t, err.Error(), s.URL+"/api/v2.0/projects")
	assert.Contains(t, err.Error(), "text/html")
}

func TestAsErrorOnOtherErrors(t *testing.T) {
	_, ok := AsError(errors.New("dial tcp: refused"))
	assert.False(t, ok)
	_, ok = AsError(nil)
	assert.False(t, ok)
	he := &Error{StatusCode: 409}
	got, ok := AsError(fmt.Errorf("wrapped: %w", he))
	assert.True(t, ok)
	assert.Same(t, he, got)
}

func TestErrorBodyNotJSONIsKeptAsText(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("upstream connect error\nor disconnect"))
	})
	c := newStubClient(t, s.URL, WithoutRetry())
	_, err := c.API().Project.GetProject(t.Context(), project.NewGetProjectParams().WithProjectNameOrID("x"))
	he, ok := AsError(err)
	require.True(t, ok)
	assert.Equal(t, 502, he.StatusCode)
	assert.ErrorIs(t, he, ErrServer)
	assert.Contains(t, he.Error(), "upstream connect error or disconnect")
}

// A 502 or 504 answer to a POST or PATCH comes from a gateway that may have
// passed the write on to Harbor: it matches ErrOutcomeUnknown as well as
// ErrServer. Harbor's own 500, a 503, and any answer to an idempotent
// method do not.
func TestGatewayAnswerToWriteIsOutcomeUnknown(t *testing.T) {
	callWith := map[string]func(context.Context, *Client) error{
		"GET": func(ctx context.Context, c *Client) error {
			_, err := c.API().Project.ListProjects(ctx, project.NewListProjectsParams())
			return err
		},
		"PUT": func(ctx context.Context, c *Client) error {
			_, err := c.API().Project.UpdateProject(ctx, project.NewUpdateProjectParams().WithProjectNameOrID("p").WithProject(&models.ProjectReq{}))
			return err
		},
		"DELETE": func(ctx context.Context, c *Client) error {
			_, err := c.API().Project.DeleteProject(ctx, project.NewDeleteProjectParams().WithProjectNameOrID("p"))
			return err
		},
		"POST": func(ctx context.Context, c *Client) error {
			_, err := c.API().Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "p"}))
			return err
		},
		"PATCH": func(ctx context.Context, c *Client) error {
			_, err := c.API().Robot.RefreshSec(ctx, robot.NewRefreshSecParams().WithRobotID(1).WithRobotSec(&models.RobotSec{}))
			return err
		},
	}
	for _, status := range []int{500, 502, 503, 504} {
		for _, method := range []string{"GET", "PUT", "DELETE", "POST", "PATCH"} {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(status)
				fmt.Fprintf(w, "<html><body>%d from the proxy</body></html>", status)
			})
			c := newStubClient(t, s.URL, WithoutRetry())
			err := callWith[method](t.Context(), c)
			require.Error(t, err)
			want := (status == 502 || status == 504) && (method == "POST" || method == "PATCH")
			assert.ErrorIs(t, err, ErrServer, "%s answered %d", method, status)
			assert.Equal(t, want, errors.Is(err, ErrOutcomeUnknown), "%s answered %d", method, status)
		}
	}
}

// A helper's error speaks in its voice once, keeps the cause for errors.Is
// and errors.As, and names the access only on a 403.
func TestHelperErrorVoice(t *testing.T) {
	forbidden := &Error{StatusCode: http.StatusForbidden, Method: "POST", Path: "/api/v2.0/projects/p/repositories/a%252Fb/artifacts/1/scan"}
	err := error(forbidden)
	inVoice("ScanArtifact", &err)
	inVoice("ScanAndWait", &err) // a helper calling another: the caller's voice, once
	assert.Equal(t, "harbor: ScanAndWait: POST /api/v2.0/projects/p/repositories/a%252Fb/artifacts/1/scan: 403 Forbidden"+
		" (ScanAndWait needs scan:create, artifact:read and artifact-addition:read (harbor.CIAccess has them))", err.Error())
	var he *Error
	require.ErrorAs(t, err, &he)
	assert.Same(t, forbidden, he)
	assert.ErrorIs(t, err, ErrForbidden)

	for in, want := range map[error]string{
		errors.New("harbor: FindRobot: name is empty"):        "harbor: FindRobot: name is empty",
		errors.New(`harbor: FindRobot "x": GET /robots: EOF`): `harbor: FindRobot: "x": GET /robots: EOF`,
		errors.New("harbor: invalid robot: name"):             "harbor: FindRobot: invalid robot: name",
		&Error{StatusCode: 404, Method: "GET", Path: "/x"}:    "harbor: FindRobot: GET /x: 404 Not Found",
	} {
		err := in
		inVoice("FindRobot", &err)
		assert.Equal(t, want, err.Error())
		assert.ErrorIs(t, err, in)
	}
	var none error
	inVoice("FindRobot", &none)
	assert.NoError(t, none)

	_, err = NewClient("ftp://x")
	require.Error(t, err)
	_, err = NewClient("https://x", WithTimeout(-1))
	assert.ErrorContains(t, err, "harbor: NewClient: WithTimeout: ")
}
