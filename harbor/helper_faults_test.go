package harbor

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/credentials"
	"github.com/harborkit/harbor-sdk-go/gen/client/label"
	"github.com/harborkit/harbor-sdk-go/gen/client/project"
)

// helperCall is one facade helper, and the one request of it that a fault
// is put on (method, and a part of the path).
type helperCall struct {
	name, method, path string
	call               func(ctx context.Context, c *Client) error
}

// write reports whether the faulted request is a POST or PATCH, whose
// failure after sending must match ErrOutcomeUnknown.
func (h helperCall) write() bool { return h.method == http.MethodPost || h.method == http.MethodPatch }

// helperCalls lists every facade helper that talks to Harbor. dir holds a
// credentials file for robot id 1 (RotateCredentialsFile).
func helperCalls(t *testing.T) []helperCall {
	t.Helper()
	path := filepath.Join(t.TempDir(), "robot.json")
	require.NoError(t, credentials.Save(path, &credentials.Credentials{Name: "robot$bot",
		Secret: credentials.NewSecret("Old-S3cret1"), ID: Ptr(int64(1))}))
	const art = "/projects/p/repositories/team%252Fapp/artifacts/latest"
	first := func(seq func(func(ArtifactInfo, error) bool)) error {
		var err error
		seq(func(_ ArtifactInfo, e error) bool { err = e; return e == nil })
		return err
	}
	return []helperCall{
		{"Ping", "GET", "/ping", func(ctx context.Context, c *Client) error { return c.Ping(ctx) }},
		{"Whoami", "GET", "/users/current", func(ctx context.Context, c *Client) error { _, err := c.Whoami(ctx); return err }},
		{"ServerVersion", "GET", "/systeminfo", func(ctx context.Context, c *Client) error { _, err := c.ServerVersion(ctx); return err }},
		{"FindRobot", "GET", "/robots", func(ctx context.Context, c *Client) error { _, err := c.FindRobot(ctx, "bot"); return err }},
		{"RobotPermissions", "GET", "/permissions", func(ctx context.Context, c *Client) error {
			_, err := c.RobotPermissions(ctx)
			return err
		}},
		{"ArtifactAddition", "GET", art + "/additions/sbom", func(ctx context.Context, c *Client) error {
			_, err := c.ArtifactAddition(ctx, "p", "team/app", "latest", "sbom")
			return err
		}},
		{"VulnerabilitiesAddition", "GET", art + "/additions/vulnerabilities", func(ctx context.Context, c *Client) error {
			_, err := c.VulnerabilitiesAddition(ctx, "p", "team/app", "latest", "")
			return err
		}},
		{"VulnerabilityReport", "GET", art + "/additions/vulnerabilities", func(ctx context.Context, c *Client) error {
			_, err := c.VulnerabilityReport(ctx, "p", "team/app", "latest", "")
			return err
		}},
		{"WaitForScan", "GET", art, func(ctx context.Context, c *Client) error {
			// It looks again after a 5xx until ctx ends: a deadline ends it.
			ctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			_, err := c.WaitForScan(ctx, "p", "team/app", "latest", ReportGeneric, ScanPolling(time.Millisecond, 10*time.Millisecond))
			return err
		}},
		{"WalkArtifacts", "GET", "/projects/p/repositories/team%252Fapp/artifacts", func(ctx context.Context, c *Client) error {
			return first(c.WalkArtifacts(ctx, &WalkOptions{Repositories: []string{"p/team/app"}}))
		}},
		{"ScanArtifact", "POST", art + "/scan", func(ctx context.Context, c *Client) error {
			return c.ScanArtifact(ctx, "p", "team/app", "latest")
		}},
		{"ScanAndWait", "POST", art + "/scan", func(ctx context.Context, c *Client) error {
			_, err := c.ScanAndWait(ctx, "p", "team/app", "latest", ReportGeneric)
			return err
		}},
		{"CreateRobot", "POST", "/robots", func(ctx context.Context, c *Client) error {
			_, err := c.CreateRobot(ctx, SystemRobot("bot", 1, Allow(ResourceProject, ActionCreate)))
			return err
		}},
		{"RefreshRobotSecret", "PATCH", "/robots/1", func(ctx context.Context, c *Client) error {
			_, err := c.RefreshRobotSecret(ctx, 1, "")
			return err
		}},
		{"RotateCredentialsFile", "PATCH", "/robots/1", func(ctx context.Context, c *Client) error {
			_, err := c.RotateCredentialsFile(ctx, path, "")
			return err
		}},
	}
}

// faultStub serves fault on h's request and a plain answer on any other
// (the robot name prefix, the secret checks), counting the faulted
// requests.
func faultStub(t *testing.T, h helperCall, fault http.HandlerFunc) (*stub, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.EscapedPath(), "/api/v2.0")
		if r.Method == h.method && p == h.path {
			hits.Add(1)
			fault(w, r)
			return
		}
		switch p {
		case "/configurations":
			writeJSON(w, 200, `{}`)
		case "/robots/1": // the robot the credentials file names (RotateCredentialsFile)
			writeJSON(w, 200, `{"id":1,"name":"robot$bot","level":"system"}`)
		case "/users/current/permissions":
			writeJSON(w, 401, `{"errors":[{"code":"UNAUTHORIZED","message":"unauthorized"}]}`)
		default:
			writeJSON(w, 404, `{"errors":[{"code":"NOT_FOUND","message":"not here"}]}`)
		}
	})
	return s, &hits
}

// quickRetry retries fast, so that retried and not retried calls differ
// in their request count only.
var quickRetry = WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxBackoff: time.Millisecond})

// Every helper, on the error exactly as returned: a proxy's HTML 502 is an
// *Error matching ErrServer with status, method, path and request id
// filled, retried for a GET only; Harbor's 404 matches ErrNotFound.
func TestEveryHelperStatusErrorsAreRawAndFilled(t *testing.T) {
	for _, h := range helperCalls(t) {
		for _, status := range []int{http.StatusBadGateway, http.StatusNotFound} {
			t.Run(fmt.Sprintf("%s/%d", h.name, status), func(t *testing.T) {
				s, hits := faultStub(t, h, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("X-Request-Id", "req-42")
					if status == http.StatusNotFound {
						writeJSON(w, status, `{"errors":[{"code":"NOT_FOUND","message":"no such thing"}]}`)
						return
					}
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(status)
					_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"))
				})
				c := newStubClient(t, s.URL, WithBasicAuth("u", originSecret), quickRetry)
				err := h.call(t.Context(), c)
				require.Error(t, err)
				var he *Error
				require.ErrorAs(t, err, &he)
				assert.Equal(t, status, he.StatusCode)
				assert.Equal(t, h.method, he.Method)
				assert.Equal(t, "/api/v2.0"+h.path, he.Path) // the path sent: team%252Fapp, as on the wire
				assert.Equal(t, "req-42", he.RequestID)
				if status == http.StatusNotFound {
					assert.ErrorIs(t, err, ErrNotFound)
					assert.Equal(t, int64(1), hits.Load())
					return
				}
				assert.ErrorIs(t, err, ErrServer)
				assert.Contains(t, he.Body, "502 Bad Gateway")
				want := int64(3)
				switch {
				case h.write():
					want = 1
				case h.name == "WaitForScan": // looks again until its deadline, naming the last failure
					assert.ErrorIs(t, err, ErrScanTimeout)
					assert.GreaterOrEqual(t, hits.Load(), want)
					return
				}
				assert.Equal(t, want, hits.Load(), "GETs are retried, writes never")
			})
		}
	}
}

// A connection cut before the server acted or after it acted (the client
// cannot tell which), and an answer that comes after WithTimeout or the
// context's deadline: a write matches ErrOutcomeUnknown (and the deadline),
// a read does not match ErrOutcomeUnknown.
func TestEveryHelperCutsAndTimeouts(t *testing.T) {
	cut := func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}
	late := func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}
	faults := []struct {
		name    string
		handler http.HandlerFunc
		opts    []Option
		expire  bool // the context's deadline passes once the faulted request has arrived
		cause   error
	}{
		{"cut", cut, nil, false, nil},
		// WithTimeout bounds each attempt: the requests before the faulted
		// one have a second each, plenty under -race on a loaded machine.
		{"WithTimeout", late, []Option{WithTimeout(time.Second)}, false, context.DeadlineExceeded},
		// A fixed deadline would have to cover the requests before the
		// faulted one too, which a loaded machine can make slow: this one
		// passes when the faulted request arrives, after it was written.
		{"deadline", late, nil, true, context.DeadlineExceeded},
	}
	for _, h := range helperCalls(t) {
		for _, f := range faults {
			t.Run(h.name+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				ctx := newArrivalDeadline(t.Context())
				handler := f.handler
				if f.expire {
					handler = func(w http.ResponseWriter, r *http.Request) { ctx.pass(); f.handler(w, r) }
				}
				s, hits := faultStub(t, h, handler)
				c := newStubClient(t, s.URL, append([]Option{WithBasicAuth("u", originSecret), WithoutRetry()}, f.opts...)...)
				// The stub has no /c/login: the client's one try, before the fault.
				_, _ = c.API().Label.ListLabels(t.Context(), label.NewListLabelsParams())
				err := h.call(ctx, c)
				require.Error(t, err)
				require.NotZero(t, hits.Load(), "the faulted request was sent")
				if f.cause != nil {
					assert.ErrorIs(t, err, f.cause)
				}
				if h.write() {
					assert.ErrorIs(t, err, ErrOutcomeUnknown)
				} else {
					assert.NotErrorIs(t, err, ErrOutcomeUnknown)
				}
			})
		}
	}
}

// arrivalDeadline is a context whose deadline passes when pass is called
// (Err is then context.DeadlineExceeded), so that a test can let it pass
// after a request was sent, however slow the machine.
type arrivalDeadline struct {
	context.Context
	done   chan struct{}
	passed atomic.Bool
}

func newArrivalDeadline(parent context.Context) *arrivalDeadline {
	return &arrivalDeadline{Context: parent, done: make(chan struct{})}
}

func (c *arrivalDeadline) pass() {
	if c.passed.CompareAndSwap(false, true) {
		close(c.done)
	}
}

func (c *arrivalDeadline) Done() <-chan struct{} { return c.done }

func (c *arrivalDeadline) Err() error {
	if c.passed.Load() {
		return context.DeadlineExceeded
	}
	return nil
}

// A redirect to another origin is refused for every helper, naming both
// URLs; the other origin never sees a request.
func TestEveryHelperRefusesRedirectElsewhere(t *testing.T) {
	var elsewhere atomic.Int64
	other := newStub(t, func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) })
	for _, h := range helperCalls(t) {
		t.Run(h.name, func(t *testing.T) {
			s, _ := faultStub(t, h, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
			})
			c := newStubClient(t, s.URL, WithBasicAuth("u", originSecret), WithoutRetry())
			err := h.call(t.Context(), c)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "redirect from "+s.URL)
			assert.Contains(t, err.Error(), "to "+other.URL)
		})
	}
	assert.Zero(t, elsewhere.Load())
}

// A hostile server echoing the Authorization header and the secret in its
// headers and body: no error text, fmt output or log record holds them.
func TestEveryHelperHidesEchoedSecrets(t *testing.T) {
	token := base64.StdEncoding.EncodeToString([]byte("u:" + originSecret))
	for _, h := range helperCalls(t) {
		t.Run(h.name, func(t *testing.T) {
			s, _ := faultStub(t, h, func(w http.ResponseWriter, r *http.Request) {
				auth := r.Header.Get("Authorization")
				w.Header().Set("X-Request-Id", auth)
				w.Header().Set("Retry-After", originSecret)
				writeJSON(w, 400, `{"errors":[{"code":"`+jsonEscapeAll(originSecret)+`","message":"you sent `+auth+` = `+originSecret+`"}]}`)
			})
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c := newStubClient(t, s.URL, WithBasicAuth("u", originSecret), WithLogger(logger), WithoutRetry())
			err := h.call(t.Context(), c)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrBadRequest)
			texts := []string{logs.String(), fmt.Sprintf("%v|%+v|%#v|%s|%q", err, err, err, err, err)}
			for e := err; e != nil; e = errors.Unwrap(e) {
				texts = append(texts, e.Error())
			}
			if he, ok := AsError(err); ok {
				texts = append(texts, fmt.Sprintf("%+v", *he))
			}
			for _, text := range texts {
				assert.NotContains(t, text, originSecret)
				assert.NotContains(t, text, token)
			}
		})
	}
}

// jsonEscapeAll writes every character of s as a \uXXXX escape: a hostile
// server can quote a secret in JSON without its bytes appearing in the body.
func jsonEscapeAll(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// A hostile server echoing the credentials where the facade does not build
// the text itself: response headers (X-Request-Id, Retry-After) and JSON
// strings whose characters are all escaped. No error text, no field of the
// *Error or of the generated error it unwraps to, and no log record holds
// the secret or the Authorization token.
func TestHostileEchoesNeverReachErrorsOrLogs(t *testing.T) {
	token := base64.StdEncoding.EncodeToString([]byte("u:" + originSecret))
	escaped := jsonEscapeAll(originSecret)
	answers := map[string]http.HandlerFunc{
		"request id header": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", r.Header.Get("Authorization"))
			writeJSON(w, 400, `{"errors":[{"code":"BAD_REQUEST","message":"no"}]}`)
		},
		"request id header, declared status": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", r.Header.Get("Authorization"))
			writeJSON(w, 401, `{"errors":[{"code":"UNAUTHORIZED","message":"no"}]}`)
		},
		"retry-after header": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", originSecret)
			writeJSON(w, 400, `{"errors":[{"code":"BAD_REQUEST","message":"no"}]}`)
		},
		"escaped JSON message": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 400, `{"errors":[{"code":"`+escaped+`","message":"you sent `+escaped+`"}]}`)
		},
		"escaped JSON in a 2xx that does not decode": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `[{"name":"a","creation_time":"`+escaped+`"}]`)
		},
	}
	for name, h := range answers {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			s := newStub(t, h)
			c := newStubClient(t, s.URL, WithBasicAuth("u", originSecret), WithLogger(logger), WithoutRetry())
			err := listProjects(c, t.Context())
			require.Error(t, err)
			texts := []string{logs.String(), fmt.Sprintf("%v %+v", err, err)}
			for e := err; e != nil; e = errors.Unwrap(e) {
				texts = append(texts, e.Error())
			}
			var he *Error
			if errors.As(err, &he) {
				texts = append(texts, fmt.Sprintf("%+v %#v", *he, he.Errors), he.RequestID, he.RetryAfter)
				if g := he.Unwrap(); g != nil {
					texts = append(texts, fmt.Sprintf("%+v", g))
				}
				var typed *project.ListProjectsUnauthorized
				if errors.As(err, &typed) {
					texts = append(texts, typed.XRequestID)
				}
			}
			for _, text := range texts {
				assert.NotContains(t, text, originSecret)
				assert.NotContains(t, text, token)
			}
		})
	}
}

// A proxy's pages in front of Harbor, met by the facade helpers: an HTML
// 502 is an *Error matching ErrServer (after the retries for a GET, never
// retried for CreateRobot's POST); an HTML 412 does not make Whoami report
// a robot (only Harbor's PRECONDITION item does); an HTML 200 (a portal)
// is ErrUnexpectedContent.
func TestProxyPagesMetByHelpers(t *testing.T) {
	page := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			_, _ = w.Write([]byte("<html><body><h1>" + http.StatusText(status) + "</h1></body></html>"))
		}
	}
	helpers := map[string]func(c *Client) error{
		"Ping":   func(c *Client) error { return c.Ping(t.Context()) },
		"Whoami": func(c *Client) error { _, err := c.Whoami(t.Context()); return err },
		"ServerVersion": func(c *Client) error {
			_, err := c.ServerVersion(t.Context())
			return err
		},
		"FindRobot": func(c *Client) error { _, err := c.FindRobot(t.Context(), "bot"); return err },
		"CreateRobot": func(c *Client) error {
			_, err := c.CreateRobot(t.Context(), SystemRobot("bot", 1, Allow(ResourceProject, ActionCreate)))
			return err
		},
		"ArtifactAddition": func(c *Client) error {
			_, err := c.ArtifactAddition(t.Context(), "p", "r", "latest", "sbom")
			return err
		},
		"RobotPermissions": func(c *Client) error { _, err := c.RobotPermissions(t.Context()); return err },
	}
	for _, status := range []int{502, 412, 200} {
		for name, call := range helpers {
			t.Run(fmt.Sprintf("%d/%s", status, name), func(t *testing.T) {
				s := newStub(t, page(status))
				c := newStubClient(t, s.URL, WithBasicAuth("u", originSecret),
					WithRetry(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxBackoff: time.Millisecond}))
				err := call(c)
				require.Error(t, err)
				switch status {
				case 502:
					assert.ErrorIs(t, err, ErrServer)
					var he *Error
					require.ErrorAs(t, err, &he)
					assert.Contains(t, he.Body, "Bad Gateway")
				case 412:
					assert.ErrorIs(t, err, ErrPreconditionFailed)
				case 200:
					assert.ErrorIs(t, err, ErrUnexpectedContent)
					assert.Contains(t, err.Error(), s.URL)
				}
			})
		}
	}
}

// The echo in URL-escaped forms: a redirect elsewhere whose Location holds
// the token query-escaped and the secret path-escaped (a secret with
// characters that escape, and a token with "+" and "=").
func TestEscapedEchoesInLocationAreRedacted(t *testing.T) {
	const secret = "S3cret>>?~~ x"
	token := base64.StdEncoding.EncodeToString([]byte("u:" + secret))
	forms := []string{secret, token, url.QueryEscape(secret), url.PathEscape(secret),
		url.QueryEscape(token), url.PathEscape(token)}
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		auth := strings.TrimPrefix(r.Header.Get("Authorization"), "Basic ")
		w.Header().Set("Location", "http://elsewhere.invalid/"+url.PathEscape(secret)+"/"+url.PathEscape(auth)+
			"?t="+url.QueryEscape(auth)+"&s="+url.QueryEscape(secret))
		w.WriteHeader(http.StatusFound)
	})
	for _, follow := range []bool{true, false} {
		opts := []Option{WithBasicAuth("u", secret)}
		c := newStubClient(t, s.URL, opts...)
		if !follow {
			c.submit.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		}
		err := listProjects(c, t.Context())
		require.Error(t, err)
		for e := err; e != nil; e = errors.Unwrap(e) {
			for _, f := range forms {
				assert.NotContains(t, e.Error(), f, "follow=%v", follow)
			}
		}
	}
}
