package harbor

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
			}
			for _, text := range texts {
				assert.NotContains(t, text, originSecret)
				assert.NotContains(t, text, token)
			}
		})
	}
}
