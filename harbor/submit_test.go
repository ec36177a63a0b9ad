package harbor

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-openapi/runtime"
	"github.com/go-openapi/strfmt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/client/scan_data_export"
	"github.com/harborkit/harbor-sdk-go/gen/client/user"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// The error of a generated operation, exactly as returned, matches the
// status sentinel, is an *Error with the request's identity and Harbor's
// items, and unwraps to the generated error, whether the spec declares the
// status (a typed error) or not (*runtime.APIError): the test holds for
// either, so a spec that starts declaring a status does not break it.
func TestRawErrorsMatchSentinelsAndGeneratedTypes(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "rid-7")
		writeJSON(w, http.StatusForbidden, `{"errors":[{"code":"FORBIDDEN","message":"not yours"}]}`)
	})
	c := newStubClient(t, s.URL, WithBasicAuth("u", "p4ssw0rd"))
	// undeclared reads like an operation whose spec declares no error status.
	undeclared := func(ctx context.Context) error {
		_, err := c.API().Transport.Submit(&runtime.ClientOperation{ID: "getThing", Method: "GET",
			PathPattern: "/users", Context: ctx, Params: runtime.ClientRequestWriterFunc(
				func(runtime.ClientRequest, strfmt.Registry) error { return nil }),
			Reader: runtime.ClientResponseReaderFunc(func(r runtime.ClientResponse, _ runtime.Consumer) (any, error) {
				return nil, runtime.NewAPIError("[GET /users] getThing", r, r.Code())
			})})
		return err
	}
	for name, call := range map[string]func(context.Context) error{
		"ListUsers": func(ctx context.Context) error {
			_, err := c.API().User.ListUsers(ctx, user.NewListUsersParams())
			return err
		},
		"GetProject": func(ctx context.Context) error {
			_, err := c.API().Project.GetProject(ctx, project.NewGetProjectParams().WithProjectNameOrID("x"))
			return err
		},
		"undeclared": undeclared,
		"Whoami": func(ctx context.Context) error {
			_, err := c.Whoami(ctx)
			return err
		},
		"All": func(ctx context.Context) error {
			for _, e := range All(ctx, c.API().User.ListUsers, user.NewListUsersParams()) {
				return e
			}
			return nil
		},
	} {
		err := call(t.Context())
		assert.ErrorIs(t, err, ErrForbidden, name)
		var he *Error
		if assert.ErrorAs(t, err, &he, name) {
			assert.Equal(t, 403, he.StatusCode, name)
			assert.Equal(t, "rid-7", he.RequestID, name)
			assert.Equal(t, []ErrorItem{{Code: "FORBIDDEN", Message: "not yours"}}, he.Errors, name)
		}
		var generated interface{ IsCode(int) bool }
		if assert.ErrorAs(t, err, &generated, "%s: the generated error is still reachable", name) {
			assert.True(t, generated.IsCode(403), name)
		}
	}
	// A declared status also gives the generated typed error and its payload.
	_, err := c.API().User.ListUsers(t.Context(), user.NewListUsersParams())
	var typed *user.ListUsersForbidden
	if errors.As(err, &typed) {
		require.NotNil(t, typed.Payload)
		assert.Equal(t, "not yours", typed.Payload.Errors[0].Message)
		assert.Equal(t, "rid-7", typed.XRequestID)
	}
	var api *runtime.APIError
	require.ErrorAs(t, undeclared(t.Context()), &api, "an undeclared status keeps go-openapi's APIError")
	assert.Equal(t, 403, api.Code)
}

// A nil context is refused before any request, naming the argument.
func TestNilContextIsRefused(t *testing.T) {
	var calls atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) { calls.Add(1) })
	c := newStubClient(t, s.URL)
	//lint:ignore SA1012 a nil context is what is tested
	_, err := c.API().Project.ListProjects(nil, project.NewListProjectsParams())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "listProjects: the context (ctx) is nil")
	_, err = c.API().Transport.Submit(&runtime.ClientOperation{ID: "op"})
	assert.Contains(t, err.Error(), "op: the context (ctx) is nil")
	assert.Zero(t, calls.Load())
}

// The status decides first: HTML answers of a proxy are *Error with a text
// excerpt, retried for GET when 429/502/503/504.
func TestStatusDecidesFirst(t *testing.T) {
	for _, status := range []int{429, 500, 502, 503, 504} {
		var calls atomic.Int64
		s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			_, _ = w.Write([]byte("<html><body><h1>" + http.StatusText(status) + "</h1>nginx</body></html>"))
		})
		c := newStubClient(t, s.URL, WithRetry(RetryPolicy{MaxAttempts: 2, BaseDelay: 1, MaxBackoff: 1}))
		err := listProjects(c, t.Context())
		var he *Error
		require.ErrorAs(t, err, &he, "status %d", status)
		assert.Equal(t, status, he.StatusCode)
		assert.NotErrorIs(t, err, ErrUnexpectedContent)
		assert.Contains(t, he.Body, "nginx")
		assert.Empty(t, he.Errors)
		assert.Equal(t, status >= 500, errors.Is(err, ErrServer))
		want := int64(2)
		if status == 500 {
			want = 1
		}
		assert.Equal(t, want, calls.Load(), "attempts for %d", status)
	}
}

// A 3xx that is not followed is an *Error naming the status and Location.
func TestRedirectNotFollowedIsError(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/elsewhere")
		w.WriteHeader(http.StatusMultipleChoices)
	})
	err := listProjects(newStubClient(t, s.URL), t.Context())
	var he *Error
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 300, he.StatusCode)
	assert.Equal(t, "/elsewhere", he.Location)
	assert.Contains(t, err.Error(), "300 Multiple Choices: not followed, Location: /elsewhere")
}

// ErrUnexpectedContent is for a 2xx only: an HTML page or JSON that does
// not decode; its message names the URL.
func TestUnexpectedContentOnlyFor2xx(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"html": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html>portal</html>"))
		},
		"bad json":   func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `<html>`) },
		"wrong type": func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"name":"a"}`) },
	} {
		s := newStub(t, h)
		err := listProjects(newStubClient(t, s.URL), t.Context())
		assert.ErrorIs(t, err, ErrUnexpectedContent, name)
		assert.Contains(t, err.Error(), s.URL+"/api/v2.0/projects", name)
		_, isHarbor := AsError(err)
		assert.False(t, isHarbor, name)
	}
}

// Harbor answers some GETs 200 with Content-Type application/json and no
// body (schedules): that decodes to nothing.
func TestEmptyJSONAnswerIsNoError(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, "") })
	c := newStubClient(t, s.URL)
	res, err := c.API().Project.GetProject(t.Context(), project.NewGetProjectParams().WithProjectNameOrID("x"))
	require.NoError(t, err)
	assert.Empty(t, res.Payload.Name, "the generated reader's empty payload, nothing decoded")
}

// Each request asks for what its operation produces: the call sends the
// operation's Accept list itself (the runtime would copy it per request).
func TestAcceptIsTheOperationsList(t *testing.T) {
	var accepts [][]string
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		accepts = append(accepts, r.Header.Values("Accept"))
		if strings.Contains(r.URL.Path, "/export/cve/download/") {
			w.Header().Set("Content-Type", "text/csv")
			_, _ = io.WriteString(w, "a,b\n")
			return
		}
		writeJSON(w, 200, "[]")
	})
	c := newStubClient(t, s.URL)
	_, err := c.API().Project.ListProjects(t.Context(), project.NewListProjectsParams())
	require.NoError(t, err)
	var csv strings.Builder
	_, err = c.API().ScanDataExport.DownloadScanData(t.Context(),
		scan_data_export.NewDownloadScanDataParams().WithExecutionID(1), &csv)
	require.NoError(t, err)
	assert.Equal(t, "a,b\n", csv.String())
	assert.Equal(t, [][]string{{"application/json"}, {"text/csv"}}, accepts)
}

// Every tag of the generated client is wired through the submitter.
func TestAPIWiresEveryTag(t *testing.T) {
	c := newStubClient(t, "http://127.0.0.1:1", WithoutRetry())
	api := c.API()
	assert.Same(t, c.submit, api.Transport)
	assert.Empty(t, apiFieldsNil(api), "tags not wired in newAPI")
	_, err := api.Project.ListProjects(context.Background(), project.NewListProjectsParams())
	assert.True(t, strings.Contains(err.Error(), "127.0.0.1:1"), "%v", err)
}

// A write redirected within the origin with 301/302/303 would be sent again
// as a GET whose answer the write would read as its own: not followed; the
// 3xx is the error, naming its Location. 307/308 keep the method and body.
func TestWriteRedirectThatWouldBecomeAGetIsNotFollowed(t *testing.T) {
	for _, tc := range []struct {
		status   int
		followed bool
	}{{301, false}, {302, false}, {303, false}, {307, true}, {308, true}} {
		var methods []string
		s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
			methods = append(methods, r.Method+" "+r.URL.Path)
			if r.URL.Path == "/api/v2.0/projects" {
				http.Redirect(w, r, "/api/v2.0/projects/", tc.status)
				return
			}
			body, _ := io.ReadAll(r.Body)
			if r.Method != http.MethodPost || len(body) == 0 {
				writeJSON(w, 400, `{"errors":[{"code":"BAD_REQUEST","message":"not a create"}]}`)
				return
			}
			w.WriteHeader(http.StatusCreated)
		})
		c := newStubClient(t, s.URL)
		_, err := c.API().Project.CreateProject(t.Context(),
			project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "p"}))
		if tc.followed {
			require.NoError(t, err, "%d", tc.status)
			assert.Equal(t, []string{"POST /api/v2.0/projects", "POST /api/v2.0/projects/"}, methods, "%d", tc.status)
			continue
		}
		var he *Error
		require.ErrorAs(t, err, &he, "%d", tc.status)
		assert.Equal(t, tc.status, he.StatusCode)
		assert.Equal(t, "/api/v2.0/projects/", he.Location)
		assert.Equal(t, []string{"POST /api/v2.0/projects"}, methods, "%d: no GET sent", tc.status)
	}
}

// A POST or PATCH answered 2xx whose body does not decode (a timestamp in
// another format, a proxy's HTML page) may have been carried out (here: the
// robot exists and its secret, in the unread answer, is lost): through
// API() as through the helpers, the error matches ErrOutcomeUnknown as
// well as ErrUnexpectedContent. A GET answered so is not an unknown outcome.
func TestRawWriteAnsweredUnreadablyIsOutcomeUnknown(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 201, `{"id":7,"name":"robot$bot","secret":"Gen3rated1","creation_time":"garbage"}`)
	})
	c := newStubClient(t, s.URL)
	_, err := c.API().Robot.CreateRobot(t.Context(), robot.NewCreateRobotParams().
		WithRobot(SystemRobot("bot", 1, Allow(ResourceProject, ActionCreate))))
	require.ErrorIs(t, err, ErrUnexpectedContent)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
}

func TestRawReadAnsweredUnreadablyIsOnlyUnexpected(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"id":7,"name":"robot$bot","creation_time":"garbage"}`)
	})
	c := newStubClient(t, s.URL)
	_, err := c.API().Robot.GetRobotByID(t.Context(), robot.NewGetRobotByIDParams().WithRobotID(7))
	require.ErrorIs(t, err, ErrUnexpectedContent)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
}

// methodCalls makes one request of each method through the generated
// client: whether it may have reached Harbor is decided the same way for all.
func methodCalls() map[string]func(ctx context.Context, c *Client) error {
	return map[string]func(ctx context.Context, c *Client) error{
		http.MethodPost: func(ctx context.Context, c *Client) error {
			_, err := c.API().Robot.CreateRobot(ctx, robot.NewCreateRobotParams().WithRobot(&models.RobotCreate{Name: "r"}))
			return err
		},
		http.MethodPatch: func(ctx context.Context, c *Client) error {
			_, err := c.API().Robot.RefreshSec(ctx, robot.NewRefreshSecParams().WithRobotID(7).WithRobotSec(&models.RobotSec{}))
			return err
		},
		http.MethodPut: func(ctx context.Context, c *Client) error {
			_, err := c.API().Project.UpdateProject(ctx, project.NewUpdateProjectParams().WithProjectNameOrID("p").WithProject(&models.ProjectReq{}))
			return err
		},
		http.MethodDelete: func(ctx context.Context, c *Client) error {
			_, err := c.API().Project.DeleteProject(ctx, project.NewDeleteProjectParams().WithProjectNameOrID("p"))
			return err
		},
		http.MethodGet: func(ctx context.Context, c *Client) error {
			_, err := c.API().Project.GetProject(ctx, project.NewGetProjectParams().WithProjectNameOrID("p"))
			return err
		},
	}
}

// A URL without a scheme means https; against a plain-HTTP server the TLS
// handshake fails, so nothing was sent: no method's error is
// ErrOutcomeUnknown, and each says what to do.
func TestHTTPSToPlainHTTPServerIsNotSent(t *testing.T) {
	var requests atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) { requests.Add(1) })
	hostPort := strings.TrimPrefix(s.URL, "http://")
	c := newStubClient(t, hostPort, WithBasicAuth("admin", "Harbor12345"), WithoutRetry())
	for method, call := range methodCalls() {
		err := call(t.Context(), c)
		require.Error(t, err, method)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown, method)
		assert.Contains(t, err.Error(), "not sent: the server speaks plain HTTP: use http://"+hostPort+"/api/v2.0", method)
	}
	assert.Zero(t, requests.Load())
}

// A refused connection: nothing was sent, for every method.
func TestConnectionRefusedIsNotSent(t *testing.T) {
	s := newStub(t, func(http.ResponseWriter, *http.Request) {})
	s.Close()
	c := newStubClient(t, s.URL, WithoutRetry())
	for method, call := range methodCalls() {
		err := call(t.Context(), c)
		require.Error(t, err, method)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown, method)
		assert.Contains(t, err.Error(), method+" /api/v2.0/", method)
		assert.Contains(t, err.Error(), "not sent (Harbor did not get the request)", method)
	}
}

// A connection cut after the server read the whole request: a POST or
// PATCH may have been carried out (ErrOutcomeUnknown); the idempotent
// methods are not (they are retried, here once).
func TestCutAfterTheRequestWasWritten(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		panic(http.ErrAbortHandler)
	})
	c := newStubClient(t, s.URL, WithoutRetry())
	for method, call := range methodCalls() {
		err := call(t.Context(), c)
		require.Error(t, err, method)
		assert.NotContains(t, err.Error(), "not sent", method)
		if method == http.MethodPost || method == http.MethodPatch {
			assert.ErrorIs(t, err, ErrOutcomeUnknown, method)
		} else {
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, method)
		}
	}
}

// A timeout before the request was written (the TLS handshake with a
// server that accepts the connection and says nothing) is not sent; one
// after the server read the request may have reached Harbor. Both match
// context.DeadlineExceeded.
func TestTimeoutBeforeAndAfterWriting(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	accepted := make(chan net.Conn, 16)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- conn // held open, never answered
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		for conn := range accepted {
			conn.Close()
		}
	})
	silent := newStubClient(t, ln.Addr().String(), WithTimeout(100*time.Millisecond), WithoutRetry())
	for method, call := range methodCalls() {
		err := call(t.Context(), silent)
		require.ErrorIs(t, err, context.DeadlineExceeded, method)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown, method)
		assert.Contains(t, err.Error(), "not sent", method)
	}

	for _, method := range []string{http.MethodPost, http.MethodPatch} {
		err := untilReceived(t, func(url string, d time.Duration) error {
			return methodCalls()[method](t.Context(), newStubClient(t, url, WithTimeout(d)))
		})
		require.ErrorIs(t, err, context.DeadlineExceeded, method)
		assert.ErrorIs(t, err, ErrOutcomeUnknown, method)
	}
}

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

// A 201 whose generated reader reads no body (CreateProject: Location
// only), cut in the middle of that body: the answer is incomplete, so the
// POST's outcome is unknown, as when the reader needs the body.
func TestAnswerCutAfterWhatTheReaderNeeds(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Location", "/api/v2.0/projects/1")
		w.Header().Set("Content-Length", "10")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, "{}")
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	})
	c := newStubClient(t, s.URL)
	_, err := c.API().Project.CreateProject(t.Context(), project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "p"}))
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.True(t, isReadError(err), "%v", err)
}
