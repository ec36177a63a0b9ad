package harbor

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-openapi/runtime"
	rtclient "github.com/go-openapi/runtime/client"
	"github.com/go-openapi/strfmt"
)

// submitter is the runtime.ClientTransport every generated operation of a
// Client submits through, whether called through API(), All or a facade
// helper. It sends the operation with the client's http.Client (the chain
// of transport.go) and converts every error once, from the answer it still
// holds:
//
//   - any status outside 2xx is an *Error (whatever the content type),
//     unwrapping to the generated operation's own error;
//   - a 2xx answer that is not what the operation declares is an error
//     matching ErrUnexpectedContent that names the URL;
//   - a failure of a POST or PATCH that may have reached Harbor matches
//     ErrOutcomeUnknown as well as its cause.
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
		return nil, &nilArgError{call: op.ID, arg: "the context (ctx)"}
	}
	if op.Client != nil {
		return nil, fmt.Errorf("harbor: %s: params.HTTPClient is not supported: the client sends every request "+
			"through its own chain (credentials, retries); configure it with harbor.WithHTTPClient", op.ID)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("harbor: %s: not sent: %w", op.ID, err)
	}
	callCtx, cancel := withTimeout(ctx, s.timeout)
	defer cancel()
	ex := &exchange{s: s, ctx: ctx, auth: s.auth.forCall(ctx), orig: op, op: *op}
	ex.op.Params, ex.op.Reader, ex.op.Client, ex.op.AuthInfo = ex, ex, s.hc, nil
	res, err := s.rt.SubmitContext(callCtx, &ex.op)
	if err != nil {
		return nil, timeoutError(ctx, callCtx, s.timeout, ex.failure(err))
	}
	return res, nil
}

// exchange is one operation's request and answer, as the submitter sees
// them: the operation it submits is a copy of the caller's whose Params and
// Reader are the exchange itself, around the caller's.
type exchange struct {
	s    *submitter
	ctx  context.Context // the caller's, which may ask for page headers (withPageInfo)
	auth *clientAuth     // redacts the client's secret and the call's (withBodySecret)
	orig *runtime.ClientOperation
	op   runtime.ClientOperation
	resp *http.Response // nil until an answer arrived
}

// WriteToRequest implements runtime.ClientRequestWriter: the operation's
// parameters, then the headers of every request: credentials (which the
// http.Client never lets leave the origin, see origin.go) and the user
// agent. No request id is made up: Harbor assigns one to every request
// that has none (most operations' params take the caller's, XRequestID)
// and sends it back; that is the id *Error and the log records report.
func (ex *exchange) WriteToRequest(r runtime.ClientRequest, reg strfmt.Registry) error {
	if ex.orig.Params != nil {
		if err := ex.orig.Params.WriteToRequest(r, reg); err != nil {
			return err
		}
	}
	if ex.s.auth.header != nil {
		_ = r.SetHeaderParam("Authorization", ex.s.auth.header...)
	}
	return r.SetHeaderParam("User-Agent", ex.s.userAgent...)
}

// ReadResponse implements runtime.ClientResponseReader: the status decides
// first, then the operation's own reader reads the answer.
func (ex *exchange) ReadResponse(cr runtime.ClientResponse, cons runtime.Consumer) (any, error) {
	r, ok := cr.(response)
	if !ok { // the runtime always reads with newResponse (NewClient sets it)
		return nil, fmt.Errorf("harbor: %s: unexpected response type %T", ex.op.ID, cr)
	}
	ex.resp = r.resp
	if r.Code() < 200 || r.Code() > 299 {
		return nil, ex.harborError(r)
	}
	recordPageInfo(ex.ctx, r.resp.Header)
	ct := r.GetHeader("Content-Type")
	if isHTML(ct) && !slices.Contains(ex.op.ProducesMediaTypes, "text/html") {
		return nil, ex.unexpected(r, nil)
	}
	v, err := ex.orig.Reader.ReadResponse(r, cons)
	if err != nil && !isReadError(err) {
		return nil, ex.unexpected(r, err)
	}
	return v, err
}

// harborError converts a non-2xx answer: a bounded copy of its body, with
// the client's secret redacted, fills the *Error and, through the
// operation's reader, the generated error it unwraps to.
func (ex *exchange) harborError(r response) *Error {
	text := ex.auth.redact(string(readErrorBody(r.resp.Body)))
	req := r.resp.Request
	redact := ex.auth.redact
	he := &Error{StatusCode: r.Code(), Method: req.Method, Path: req.URL.EscapedPath(),
		RequestID: redact(requestID(req, r.resp)), RetryAfter: redact(r.GetHeader("Retry-After"))}
	if he.StatusCode >= 300 && he.StatusCode <= 399 {
		he.Location = redact(r.GetHeader("Location"))
	}
	if id := r.resp.Header.Get(headerRequestID); id != "" && redact(id) != id {
		r.resp.Header.Set(headerRequestID, redact(id)) // the generated error reads it too
	}
	he.Errors, he.Body = decodeErrorBody(text)
	if ex.auth.redactItems(he.Errors) {
		// JSON escapes (\u0030...) hid the secret from redact; the
		// generated error reads the redacted items instead.
		b, _ := json.Marshal(struct {
			Errors []ErrorItem `json:"errors"`
		}{he.Errors})
		text = string(b)
	}
	// The runtime closes the body it read from; the reader reads the copy.
	r.resp.Body = io.NopCloser(strings.NewReader(text))
	_, he.generated = ex.orig.Reader.ReadResponse(r, errorConsumer)
	return he
}

func (ex *exchange) unexpected(r response, err error) error {
	e := &unexpectedContentError{method: r.resp.Request.Method, url: r.resp.Request.URL.Redacted(),
		status: r.Code(), contentType: ex.auth.redact(r.GetHeader("Content-Type")), err: err}
	if err != nil {
		// A decoding error may quote the answer (a timestamp that does not parse).
		if text := ex.auth.redact(err.Error()); text != err.Error() {
			e.err = errors.New(text)
		}
	}
	return e
}

// failure classifies an error of the runtime's submit that is not an answer
// already converted by ReadResponse: a request that could not be built or
// sent, an answer whose body could not be read, or a 2xx answer that is
// not what the operation declares. A POST or PATCH that may have reached
// Harbor becomes an outcomeUnknownError.
func (ex *exchange) failure(err error) error {
	var he *Error
	var uc *unexpectedContentError
	var re *redirectError
	switch {
	case errors.As(err, &re):
		return re // net/http's wrapping quotes the Location unredacted
	case errors.As(err, &he):
		return err
	}
	method, where := ex.op.Method, ex.op.PathPattern
	if ex.resp != nil {
		where = ex.resp.Request.URL.EscapedPath()
	}
	if errors.As(err, &uc) {
		if !isIdempotent(method) { // a 2xx answer to a write: carried out, yet unread
			return &outcomeUnknownError{method: method, url: where, err: err}
		}
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = ex.auth.redact(ue.URL) // after a redirect it is the server's Location
	}
	sent := false
	switch {
	case ex.resp != nil: // the answer's body could not be read
		sent = true
		err = fmt.Errorf("%s %s: %w", method, ex.resp.Request.URL.Redacted(), err)
	case errors.As(err, &ue):
		sent = !notSent(err)
		if u, perr := url.Parse(ue.URL); perr == nil {
			where = u.EscapedPath()
		}
	}
	if sent && !isIdempotent(method) {
		return &outcomeUnknownError{method: method, url: where, err: err}
	}
	return err
}

const headerRequestID = "X-Request-Id"

// decodeErrorBody reads Harbor's {"errors":[...]} body; a body of another
// shape is returned as a short text excerpt.
func decodeErrorBody(text string) ([]ErrorItem, string) {
	var eb struct {
		Errors []ErrorItem `json:"errors"`
	}
	if err := json.Unmarshal([]byte(text), &eb); err == nil && len(eb.Errors) > 0 {
		return eb.Errors, ""
	}
	return nil, truncate(strings.TrimSpace(text), maxErrorText)
}

func isHTML(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	return strings.EqualFold(mt, "text/html") || strings.EqualFold(mt, "application/xhtml+xml")
}

// notSent reports whether err shows that no request reached the server: a
// failed name lookup, dial or TLS handshake. Anything else may have been sent.
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

// response is the runtime.ClientResponse the runtime hands the readers
// (NewClient sets newResponse).
type response struct{ resp *http.Response }

func newResponse(resp *http.Response) runtime.ClientResponse { return response{resp} }

func (r response) Code() int                       { return r.resp.StatusCode }
func (r response) Message() string                 { return r.resp.Status }
func (r response) GetHeader(name string) string    { return r.resp.Header.Get(name) }
func (r response) GetHeaders(name string) []string { return r.resp.Header.Values(name) }
func (r response) Body() io.ReadCloser             { return r.resp.Body }
