package harbor

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
)

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
