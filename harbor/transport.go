package harbor

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-openapi/runtime"
)

// maxBufferedBody bounds how much of one response the transport reads into
// memory. Harbor's API answers are small (a page of 100 projects is ~40 KiB);
// anything larger is streamed and drained (up to maxDrain) on close.
const (
	maxBufferedBody = 16 << 20
	maxKeptErrBody  = 64 << 10
	maxDrain        = 1 << 20
)

// ErrUnexpectedContent matches (errors.Is) an answer that is not Harbor's
// API: an HTML page where JSON was expected, usually because the URL points
// at Harbor's portal or at a proxy rather than at <host>/api/v2.0.
var ErrUnexpectedContent = errors.New("harbor: answer is not from Harbor's API")

// ErrOutcomeUnknown matches (errors.Is) a failure of a non-idempotent request
// (POST, PATCH) after it was sent: Harbor may or may not have carried it out,
// and the facade does not retry it. Check the server's state before trying again.
var ErrOutcomeUnknown = errors.New("harbor: outcome of the request is unknown")

// transport is the facade's chain around the base RoundTripper: request id,
// cookies removed, retries for idempotent methods, one log record per
// attempt, bodies read to the end (connection reuse and retry of a body cut
// mid-way) and kept for errors.
type transport struct {
	base      http.RoundTripper
	retry     *retryer // nil: no retries
	logger    *slog.Logger
	userAgent string
	pool      *sync.Pool // of *bytes.Buffer
}

func newTransport(base http.RoundTripper, r *retryer, logger *slog.Logger, userAgent string) *transport {
	return &transport{
		base:      base,
		retry:     r,
		logger:    logger,
		userAgent: userAgent,
		pool:      &sync.Pool{New: func() any { return new(bytes.Buffer) }},
	}
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	// A RoundTripper must not change the caller's request: work on a copy
	// with its own headers (the body and URL are not changed here).
	r2 := *req
	r2.Header = t.headers(req.Header)
	req = &r2
	// Harbor refuses writes that carry a session cookie without a CSRF token.
	req.Header.Del("Cookie")

	retryable := t.retry != nil && isIdempotent(req.Method)
	if retryable && req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		if err := makeReplayable(req); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	for attempt := 1; ; attempt++ {
		if attempt > 1 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req.Body = body
		}
		began := time.Now()
		resp, err := t.attempt(req)
		t.logAttempt(req, attempt, resp, err, time.Since(began))
		if !retryable {
			return resp, err
		}
		delay, again := t.retry.next(ctx, attempt, time.Since(start), resp, err)
		if !again {
			return resp, err
		}
		if resp != nil {
			resp.Body.Close()
		}
		if err := sleep(ctx, delay); err != nil {
			return nil, err
		}
	}
}

// headers copies h, adding a request id when it has none and the user
// agent, with one allocation for all values.
func (t *transport) headers(h http.Header) http.Header {
	n := 2
	for _, vv := range h {
		n += len(vv)
	}
	values := make([]string, 0, n)
	out := make(http.Header, len(h)+2)
	for k, vv := range h {
		values = append(values, vv...)
		out[k] = values[len(values)-len(vv) : len(values) : len(values)]
	}
	if len(out[headerRequestID]) == 0 || out[headerRequestID][0] == "" {
		values = append(values, newRequestID())
		out[headerRequestID] = values[len(values)-1 : len(values) : len(values)]
	}
	if t.userAgent != "" {
		values = append(values, t.userAgent)
		out["User-Agent"] = values[len(values)-1 : len(values) : len(values)]
	}
	return out
}

// attempt sends req once and reads the answer's body to the end.
func (t *transport) attempt(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, t.sendError(req, err)
	}
	if isHTML(resp.Header.Get("Content-Type")) {
		drainClose(resp.Body)
		return nil, &unexpectedContentError{
			method: req.Method, url: redactedURL(req), status: resp.StatusCode,
			contentType: resp.Header.Get("Content-Type"),
		}
	}
	if resp.ContentLength > maxBufferedBody || req.Method == http.MethodHead {
		resp.Body = &drainingBody{ReadCloser: resp.Body}
		return resp, nil
	}
	buf := t.pool.Get().(*bytes.Buffer)
	buf.Reset()
	if resp.ContentLength >= 0 {
		_, err = buf.ReadFrom(resp.Body) // bounded: ContentLength <= maxBufferedBody
	} else {
		_, err = buf.ReadFrom(io.LimitReader(resp.Body, maxBufferedBody))
	}
	resp.Body.Close()
	if err != nil {
		t.pool.Put(buf)
		return nil, t.sendError(req, fmt.Errorf("reading the answer: %w", err))
	}
	bb := &bufferedBody{buf: buf, pool: t.pool}
	bb.Reset(buf.Bytes())
	resp.Body = bb
	return resp, nil
}

// sendError marks a failure of a non-idempotent request as
// ErrOutcomeUnknown unless it certainly happened before the request left
// (no connection could be made), so callers know not to blindly try again.
func (t *transport) sendError(req *http.Request, err error) error {
	if isIdempotent(req.Method) || req.Context().Err() != nil || notSent(err) {
		return err
	}
	return &outcomeUnknownError{method: req.Method, path: req.URL.Path, err: err}
}

// notSent reports whether err shows that no request reached the server: a
// failed name lookup, dial or TLS handshake. Anything else is treated as
// possibly sent.
func notSent(err error) bool {
	var dns *net.DNSError
	var op *net.OpError
	var tlsRecord tls.RecordHeaderError
	var cert *tls.CertificateVerificationError
	switch {
	case errors.As(err, &dns), errors.As(err, &tlsRecord), errors.As(err, &cert):
		return true
	case errors.As(err, &op):
		return op.Op == "dial"
	}
	return false
}

func (t *transport) logAttempt(req *http.Request, attempt int, resp *http.Response, err error, d time.Duration) {
	if t.logger == nil || !t.logger.Enabled(req.Context(), slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Duration("duration", d),
		slog.String("request_id", req.Header.Get(headerRequestID)),
		slog.Int("attempt", attempt),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	t.logger.LogAttrs(req.Context(), slog.LevelDebug, "harbor request", attrs...)
}

const headerRequestID = "X-Request-Id"

func isIdempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

func isHTML(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	return strings.EqualFold(mt, "text/html") || strings.EqualFold(mt, "application/xhtml+xml")
}

// makeReplayable reads a request body into memory so a retry can send it again.
func makeReplayable(req *http.Request) error {
	data, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return fmt.Errorf("%s %s: reading the request body: %w", req.Method, req.URL.Path, err)
	}
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	req.Body, _ = req.GetBody()
	req.ContentLength = int64(len(data))
	return nil
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// redactedURL is the request URL without user info, for error messages.
func redactedURL(req *http.Request) string {
	u := *req.URL
	u.User = nil
	return u.String()
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func drainClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxDrain))
	body.Close()
}

// bufferedBody is a response body already read to the end; Close returns its
// buffer to the pool.
type bufferedBody struct {
	bytes.Reader
	buf  *bytes.Buffer
	pool *sync.Pool
	once sync.Once
}

func (b *bufferedBody) Close() error {
	b.once.Do(func() {
		b.Reset(nil)
		b.pool.Put(b.buf)
	})
	return nil
}

// drainingBody reads what is left (bounded) on Close so the connection can be reused.
type drainingBody struct{ io.ReadCloser }

func (d *drainingBody) Close() error {
	_, _ = io.Copy(io.Discard, io.LimitReader(d.ReadCloser, maxDrain))
	return d.ReadCloser.Close()
}

type unexpectedContentError struct {
	method, url, contentType string
	status                   int
}

func (e *unexpectedContentError) Error() string {
	return fmt.Sprintf("%s %s: expected a JSON answer from Harbor's API, got %q (status %d); "+
		"check that the URL points at Harbor (the SDK adds /api/v2.0 itself)", e.method, e.url, e.contentType, e.status)
}

func (e *unexpectedContentError) Is(target error) bool { return target == ErrUnexpectedContent }

type outcomeUnknownError struct {
	method, path string
	err          error
}

func (e *outcomeUnknownError) Error() string {
	return fmt.Sprintf("%s %s: the connection failed after the request was sent, so Harbor may or may not have carried it out (outcome unknown; not retried): %v",
		e.method, e.path, e.err)
}

func (e *outcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.err} }

// newKeptResponse is the response reader the facade gives go-openapi. A
// success answer is passed through; an error answer becomes a keptResponse.
func newKeptResponse(resp *http.Response) runtime.ClientResponse {
	if resp.StatusCode < 300 {
		return liveResponse{resp}
	}
	kr := &keptResponse{liveResponse: liveResponse{resp}}
	kr.body, _ = io.ReadAll(io.LimitReader(resp.Body, maxKeptErrBody))
	if resp.Request != nil {
		kr.method, kr.path = resp.Request.Method, resp.Request.URL.Path
		kr.requestID = resp.Request.Header.Get(headerRequestID)
	}
	if id := resp.Header.Get(headerRequestID); id != "" {
		kr.requestID = id
	}
	return kr
}

// liveResponse is the runtime.ClientResponse of a success answer.
type liveResponse struct{ resp *http.Response }

func (r liveResponse) Code() int                       { return r.resp.StatusCode }
func (r liveResponse) Message() string                 { return r.resp.Status }
func (r liveResponse) GetHeader(name string) string    { return r.resp.Header.Get(name) }
func (r liveResponse) GetHeaders(name string) []string { return r.resp.Header.Values(name) }
func (r liveResponse) Body() io.ReadCloser             { return r.resp.Body }

// keptResponse is the runtime.ClientResponse of an error answer: a bounded
// copy of the body and the request's identity, so that AsError can recover
// Harbor's message even where go-openapi's APIError would otherwise only
// keep a closed body.
type keptResponse struct {
	liveResponse
	body         []byte
	method, path string
	requestID    string
}

// Body returns the kept copy, readable as often as asked.
func (r *keptResponse) Body() io.ReadCloser { return io.NopCloser(bytes.NewReader(r.body)) }

// MarshalJSON lets go-openapi's APIError.Error() show Harbor's own body
// rather than an empty object.
func (r *keptResponse) MarshalJSON() ([]byte, error) {
	if json.Valid(r.body) {
		return r.body, nil
	}
	return json.Marshal(truncate(strings.TrimSpace(string(r.body)), maxErrorText))
}

// remaining returns the unread part of the body without copying it.
func (b *bufferedBody) remaining() []byte {
	return b.buf.Bytes()[len(b.buf.Bytes())-b.Len():]
}
