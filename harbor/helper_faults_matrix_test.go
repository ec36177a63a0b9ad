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
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
				wantPath, _ := url.PathUnescape("/api/v2.0" + h.path) // Path is the URL's, decoded once
				assert.Equal(t, wantPath, he.Path)
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
		ctx     func(context.Context) (context.Context, context.CancelFunc)
		cause   error
	}{
		{"cut", cut, nil, context.WithCancel, nil},
		{"WithTimeout", late, []Option{WithTimeout(30 * time.Millisecond)}, context.WithCancel, context.DeadlineExceeded},
		{"deadline", late, nil, func(ctx context.Context) (context.Context, context.CancelFunc) {
			return context.WithTimeout(ctx, 30*time.Millisecond)
		}, context.DeadlineExceeded},
	}
	for _, h := range helperCalls(t) {
		for _, f := range faults {
			t.Run(h.name+"/"+f.name, func(t *testing.T) {
				s, hits := faultStub(t, h, f.handler)
				c := newStubClient(t, s.URL, append([]Option{WithBasicAuth("u", originSecret), WithoutRetry()}, f.opts...)...)
				ctx, cancel := f.ctx(t.Context())
				defer cancel()
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
