package harbor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-openapi/runtime"
	rtclient "github.com/go-openapi/runtime/client"
	"github.com/go-openapi/strfmt"
)

// submitter is the runtime.ClientTransport of every generated operation of
// a Client: it sends through the client's chain (transport.go) and converts
// every error once, from the answer it still holds (docs/errors.md).
type submitter struct {
	rt        *rtclient.Runtime
	hc        *http.Client
	timeout   time.Duration
	auth      *clientAuth
	userAgent []string // shared and never changed, like auth.header
}

// Submit implements runtime.ClientTransport; the context is op.Context.
func (s *submitter) Submit(op *runtime.ClientOperation) (any, error) {
	//lint:ignore SA1019 Submit's only context is this deprecated field
	return s.SubmitContext(op.Context, op)
}

// SubmitContext implements runtime.ContextualTransport.
func (s *submitter) SubmitContext(ctx context.Context, op *runtime.ClientOperation) (any, error) {
	if ctx == nil {
		return nil, errors.New("harbor: " + op.ID + ": the context (ctx) is nil")
	}
	if op.Client != nil {
		return nil, fmt.Errorf("harbor: %s: params.HTTPClient is not supported: the client sends every request "+
			"through its own chain (credentials, retries); configure it with harbor.WithHTTPClient", op.ID)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("harbor: %s: not sent: %w", op.ID, err)
	}
	c := &call{s: s, orig: op, op: *op}
	if in := callOf(ctx); in != nil { // set by withBodySecret or withPageInfo
		c.bodySecret, c.page = in.bodySecret, in.page
	}
	c.trace.WroteRequest = func(info httptrace.WroteRequestInfo) { c.wrote.Store(info.Err == nil) }
	// WriteToRequest sends the operation's Accept list: the runtime would copy it.
	c.op.Params, c.op.Reader, c.op.Client, c.op.AuthInfo, c.op.ProducesMediaTypes = c, c, s.hc, nil, nil
	callCtx := ctx
	if s.timeout > 0 { // WithTimeout bounds every attempt, wait and the reading of the answer
		var cancel context.CancelFunc
		callCtx, cancel = context.WithTimeout(ctx, s.timeout)
		defer cancel()
	}
	res, err := s.rt.SubmitContext(httptrace.WithClientTrace(context.WithValue(callCtx, callKey{}, c), &c.trace), &c.op)
	if err == nil {
		return res, nil
	}
	err = c.failure(err)
	if s.timeout > 0 && ctx.Err() == nil && errors.Is(callCtx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("%w (the client's timeout of %v, WithTimeout, expired)", err, s.timeout)
	}
	return nil, err
}

// call is the state of one operation's call, found by the transport layers
// in the request's context (callOf): the operation it submits (a copy whose
// Params and Reader are the call), what was asked for, and what happened.
type call struct {
	s    *submitter
	orig *runtime.ClientOperation
	op   runtime.ClientOperation

	bodySecret string    // a secret the request body carries: redacted like the credentials
	page       *pageInfo // where All wants the 2xx answer's page headers

	trace   httptrace.ClientTrace
	wrote   atomic.Bool    // the last attempt's request was written whole on the wire
	attempt int            // the retry layer's attempt number (1-based), for the log record
	resp    *http.Response // nil until an answer arrived
	whole   wholeBody      // the last answer read whole (body.go)
	body    answerBody     // how the answer's body is read
}

// callKey is the context key of the call state: the only one in the facade.
type callKey struct{}

// callOf returns the call state of a request SubmitContext sends, or nil.
func callOf(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// withBodySecret returns ctx for a call whose request body carries secret:
// its errors and log records redact it like the client's credentials.
func withBodySecret(ctx context.Context, secret string) context.Context {
	return context.WithValue(ctx, callKey{}, &call{bodySecret: secret})
}

// withPageInfo returns ctx for a call whose 2xx answer's page headers are
// recorded into the returned pageInfo.
func withPageInfo(ctx context.Context) (context.Context, *pageInfo) {
	info := new(pageInfo)
	return context.WithValue(ctx, callKey{}, &call{page: info}), info
}

// redact removes the client's and the call's secrets from a text taken
// from an answer (a hostile server may echo the request).
func (c *call) redact(s string) string {
	if c == nil {
		return s
	}
	return c.s.auth.redact(s, c.bodySecret)
}

// WriteToRequest implements runtime.ClientRequestWriter: the operation's
// parameters, credentials and user agent. No request id is made up: Harbor
// assigns one to every request that has none.
func (c *call) WriteToRequest(r runtime.ClientRequest, reg strfmt.Registry) error {
	if c.orig.Params != nil {
		if err := c.orig.Params.WriteToRequest(r, reg); err != nil {
			return err
		}
	}
	if c.s.auth.header != nil {
		_ = r.SetHeaderParam("Authorization", c.s.auth.header...)
	}
	_ = r.SetHeaderParam("Accept", c.orig.ProducesMediaTypes...)
	return r.SetHeaderParam("User-Agent", c.s.userAgent...)
}

// ReadResponse implements runtime.ClientResponseReader: the status decides
// first, then the operation's own reader reads the answer.
func (c *call) ReadResponse(cr runtime.ClientResponse, cons runtime.Consumer) (any, error) {
	r, ok := cr.(response)
	if !ok { // the runtime always reads with newResponse (NewClient sets it)
		return nil, fmt.Errorf("harbor: %s: unexpected response type %T", c.op.ID, cr)
	}
	c.resp = r.resp
	c.body.rc = r.resp.Body
	r.resp.Body = &c.body
	defer c.body.drain() // what a reader left, so the connection is reused
	if r.Code() < 200 || r.Code() > 299 {
		return nil, c.harborError(r)
	}
	if c.page != nil {
		*c.page = readPageInfo(r.resp)
	}
	mt, _, _ := strings.Cut(r.GetHeader("Content-Type"), ";")
	if mt = strings.ToLower(strings.TrimSpace(mt)); (mt == "text/html" || mt == "application/xhtml+xml") &&
		!slices.Contains(c.orig.ProducesMediaTypes, "text/html") {
		return nil, c.unexpected(r, nil)
	}
	v, err := c.orig.Reader.ReadResponse(r, cons)
	if err != nil && !isReadError(err) {
		return nil, c.unexpected(r, err)
	}
	if err == nil {
		err = c.body.drain() // a 201 whose reader reads no body (Location only) may still be cut
	}
	return v, err
}

// harborError converts a non-2xx answer into an *Error, every text redacted;
// the operation's reader fills the generated error from the redacted items.
func (c *call) harborError(r response) *Error {
	req := r.resp.Request
	he := &Error{StatusCode: r.Code(), Method: req.Method, Path: req.URL.EscapedPath(),
		RequestID: c.redact(requestID(req, r.resp)), RetryAfter: c.redact(r.GetHeader("Retry-After"))}
	if he.StatusCode >= 300 && he.StatusCode <= 399 {
		he.Location = c.redact(r.GetHeader("Location"))
	}
	if id := r.resp.Header.Get(headerRequestID); id != "" {
		r.resp.Header.Set(headerRequestID, he.RequestID) // the generated error reads it too
	}
	var eb struct {
		Errors []ErrorItem `json:"errors"`
	}
	text := readErrorBody(r.resp.Body)
	if json.Unmarshal(text, &eb) == nil && len(eb.Errors) > 0 {
		// Decoded first: a JSON escape (\u0030...) can hide a secret in the raw text.
		for i, it := range eb.Errors {
			eb.Errors[i] = ErrorItem{Code: c.redact(it.Code), Message: c.redact(it.Message)}
		}
		he.Errors = eb.Errors
	} else {
		he.Body = truncate(strings.TrimSpace(c.redact(string(text))), maxErrorText)
	}
	// The runtime closes the body it read from; the reader reads the items.
	body, _ := json.Marshal(eb)
	r.resp.Body = io.NopCloser(bytes.NewReader(body))
	_, he.generated = c.orig.Reader.ReadResponse(r, errorConsumer)
	return he
}

func (c *call) unexpected(r response, err error) error {
	e := &unexpectedContentError{method: r.resp.Request.Method, url: r.resp.Request.URL.Redacted(),
		status: r.Code(), contentType: c.redact(r.GetHeader("Content-Type")), err: err}
	// A decoding error may quote the answer (a timestamp that does not parse).
	if err != nil && c.redact(err.Error()) != err.Error() {
		e.err = errors.New(c.redact(err.Error()))
	}
	return e
}

// failure classifies an error ReadResponse did not convert. Whether Harbor
// may have got the request is whether it was written whole on the wire.
func (c *call) failure(err error) error {
	var re *redirectError
	var ue *url.Error
	if errors.As(err, &re) {
		return re // net/http's wrapping quotes the Location unredacted
	}
	method, where := c.op.Method, c.op.PathPattern
	if c.resp != nil {
		where = c.resp.Request.URL.EscapedPath()
	}
	if errors.As(err, &ue) {
		ue.URL = c.redact(ue.URL) // after a redirect it is the server's Location
		if u, perr := url.Parse(ue.URL); perr == nil {
			where = u.EscapedPath()
		}
	}
	switch {
	case errors.As(err, new(*Error)):
		return err
	case errors.As(err, new(*unexpectedContentError)): // a 2xx answer; to a write, carried out yet unread
	case c.resp != nil: // the answer's body could not be read
		err = fmt.Errorf("%s %s: %w", method, c.resp.Request.URL.Redacted(), err)
	case !c.wrote.Load() && ue != nil:
		e := &notSentError{method: method, url: where, err: err}
		// net/http keeps no typed error for an https request met by plain HTTP.
		if c.s.rt.Host != "" && strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
			e.plainHTTP = "http://" + c.s.rt.Host + c.s.rt.BasePath
		}
		return e
	case ue == nil:
		return err // the request could not be built
	}
	if !isIdempotent(method) {
		return &outcomeUnknownError{method: method, url: where, err: err}
	}
	return err
}

const headerRequestID = "X-Request-Id"

// errorConsumer fills the generated error's payload from Harbor's error
// JSON, or leaves it empty: the generated error exists whatever the body.
var errorConsumer = runtime.ConsumerFunc(func(r io.Reader, v any) error {
	_ = json.NewDecoder(r).Decode(v)
	return nil
})

// response is the runtime.ClientResponse of every answer (NewClient sets newResponse).
type response struct{ resp *http.Response }

func newResponse(resp *http.Response) runtime.ClientResponse { return response{resp} }

func (r response) Code() int                       { return r.resp.StatusCode }
func (r response) Message() string                 { return r.resp.Status }
func (r response) GetHeader(name string) string    { return r.resp.Header.Get(name) }
func (r response) GetHeaders(name string) []string { return r.resp.Header.Values(name) }
func (r response) Body() io.ReadCloser             { return r.resp.Body }
