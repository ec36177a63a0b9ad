package harbor

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/go-openapi/runtime"

	"github.com/harborkit/harbor-sdk-go/gen/client"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// Sentinel errors matched with errors.Is against an *Error. Each matches the
// status codes named in its comment; errors.Is(err, ErrNotFound) is the usual
// way to ask "did Harbor say 404?".
var (
	// ErrBadRequest matches a 400 answer: Harbor refused the request's content.
	ErrBadRequest = errors.New("harbor: bad request")
	// ErrUnauthorized matches a 401 answer: no or wrong credentials.
	ErrUnauthorized = errors.New("harbor: unauthorized")
	// ErrForbidden matches a 403 answer: the credentials lack a permission
	// (or a cookie was sent back on a write: Harbor's CSRF check).
	ErrForbidden = errors.New("harbor: forbidden")
	// ErrNotFound matches a 404 answer.
	ErrNotFound = errors.New("harbor: not found")
	// ErrConflict matches a 409 answer: the resource already exists.
	ErrConflict = errors.New("harbor: conflict")
	// ErrPreconditionFailed matches a 412 answer (Harbor also uses it for
	// "not available for this kind of user", e.g. GET /users/current as a robot).
	ErrPreconditionFailed = errors.New("harbor: precondition failed")
	// ErrUnprocessable matches a 422 answer.
	ErrUnprocessable = errors.New("harbor: unprocessable entity")
	// ErrTooManyRequests matches a 429 answer.
	ErrTooManyRequests = errors.New("harbor: too many requests")
	// ErrServer matches any 5xx answer.
	ErrServer = errors.New("harbor: server error")
)

// ErrorItem is one entry of Harbor's error body {"errors":[{"code":..,"message":..}]},
// exactly as Harbor sent it.
type ErrorItem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is Harbor's answer to a request that did not succeed (any non-2xx
// status). It keeps the status, the request, Harbor's request id and Harbor's
// own error codes and messages. Use errors.As or AsError to get one, and
// errors.Is with the Err... sentinels to classify it.
type Error struct {
	// StatusCode is the HTTP status Harbor answered with.
	StatusCode int
	// Method is the request's HTTP method.
	Method string
	// Path is the URL path requested. For errors of statuses the spec
	// declares, go-openapi keeps only the operation's path pattern, so Path
	// is then that pattern under /api/v2.0 (e.g.
	// /api/v2.0/projects/{project_name_or_id}).
	Path string
	// RequestID is the X-Request-Id of the exchange, when known.
	RequestID string
	// Errors holds Harbor's error items as it sent them; it may be empty when
	// the body was not Harbor's error JSON.
	Errors []ErrorItem
	// Body is a bounded copy of the raw body when it was not Harbor's error JSON.
	Body string
}

// Error returns a one-line description: method, path, status, Harbor's
// messages and the request id. It never contains request headers.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Method != "" || e.Path != "" {
		b.WriteString(strings.TrimSpace(e.Method + " " + e.Path))
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	for i, it := range e.Errors {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		if it.Code != "" {
			b.WriteString(it.Code)
			b.WriteString(": ")
		}
		b.WriteString(it.Message)
	}
	if len(e.Errors) == 0 && e.Body != "" {
		b.WriteString(": ")
		b.WriteString(truncate(e.Body, 200))
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(e.RequestID)
		b.WriteString(")")
	}
	return oneLine(b.String())
}

// Is reports whether target is the sentinel for e's status (see ErrNotFound
// and the other Err... variables).
func (e *Error) Is(target error) bool {
	if target == ErrServer {
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	s, ok := statusSentinels[e.StatusCode]
	return ok && s == target
}

// Message returns Harbor's first error message, or "" when there is none.
func (e *Error) Message() string {
	if len(e.Errors) == 0 {
		return ""
	}
	return e.Errors[0].Message
}

var statusSentinels = map[int]error{
	http.StatusBadRequest:          ErrBadRequest,
	http.StatusUnauthorized:        ErrUnauthorized,
	http.StatusForbidden:           ErrForbidden,
	http.StatusNotFound:            ErrNotFound,
	http.StatusConflict:            ErrConflict,
	http.StatusPreconditionFailed:  ErrPreconditionFailed,
	http.StatusUnprocessableEntity: ErrUnprocessable,
	http.StatusTooManyRequests:     ErrTooManyRequests,
}

// AsError turns the error of any facade call or any generated operation
// (c.API()...) that carries a non-2xx Harbor answer into an *Error. It
// understands the generated typed errors (declared statuses), go-openapi's
// *runtime.APIError (undeclared statuses, whose body the facade kept) and
// *Error itself, wrapped or not. It returns nil, false when err holds no
// Harbor answer (for example a network error).
func AsError(err error) (*Error, bool) {
	if err == nil {
		return nil, false
	}
	var he *Error
	if errors.As(err, &he) {
		return he, true
	}
	var api *runtime.APIError
	if errors.As(err, &api) {
		return fromAPIError(api), true
	}
	var coded interface {
		error
		Code() int
	}
	if errors.As(err, &coded) && coded.Code() >= 300 {
		return fromTypedError(coded), true
	}
	return nil, false
}

// IsStatus reports whether err carries a Harbor answer with the given status.
func IsStatus(err error, status int) bool {
	e, ok := AsError(err)
	return ok && e.StatusCode == status
}

// fromAPIError converts an undeclared-status error. The facade's response
// reader hands go-openapi a *keptResponse, so the body survives here.
func fromAPIError(api *runtime.APIError) *Error {
	e := &Error{StatusCode: api.Code}
	e.Method, e.Path = splitOperationName(api.OperationName)
	if kr, ok := api.Response.(*keptResponse); ok {
		e.Method, e.Path, e.RequestID = kr.method, kr.path, kr.requestID
		e.Errors, e.Body = decodeErrorBody(kr.body)
	}
	return e
}

// fromTypedError converts a generated error type (e.g. *project.GetProjectNotFound).
func fromTypedError(err interface {
	error
	Code() int
}) *Error {
	e := &Error{StatusCode: err.Code()}
	msg := err.Error()
	// Generated messages start with "[METHOD /pattern][code] ...".
	if strings.HasPrefix(msg, "[") {
		if end := strings.Index(msg, "]"); end > 0 {
			e.Method, e.Path = splitOperationName(msg[:end+1])
			e.Path = client.DefaultBasePath + e.Path
		}
	}
	if p, ok := err.(interface{ GetPayload() *models.Errors }); ok && p.GetPayload() != nil {
		for _, it := range p.GetPayload().Errors {
			if it != nil {
				e.Errors = append(e.Errors, ErrorItem{Code: it.Code, Message: it.Message})
			}
		}
	}
	if len(e.Errors) == 1 && e.Errors[0].Code == "" {
		// Not Harbor's error JSON: errorBodyTolerant kept the text.
		e.Body, e.Errors = e.Errors[0].Message, nil
	}
	v := reflect.ValueOf(err)
	if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
		if f := v.Elem().FieldByName("XRequestID"); f.IsValid() && f.Kind() == reflect.String {
			e.RequestID = f.String()
		}
	}
	return e
}

// splitOperationName parses "[GET /projects] ListProjects" into method and path.
func splitOperationName(s string) (method, path string) {
	s = strings.TrimPrefix(s, "[")
	if end := strings.Index(s, "]"); end >= 0 {
		s = s[:end]
	}
	method, path, _ = strings.Cut(s, " ")
	return method, path
}

// decodeErrorBody reads Harbor's {"errors":[...]} body. A body of another
// shape is returned as text (bounded) so its message is not lost.
func decodeErrorBody(body []byte) ([]ErrorItem, string) {
	var eb struct {
		Errors []ErrorItem `json:"errors"`
	}
	if err := json.Unmarshal(body, &eb); err == nil && len(eb.Errors) > 0 {
		return eb.Errors, ""
	}
	return nil, truncate(strings.TrimSpace(string(body)), maxErrorText)
}

const maxErrorText = 512

// truncate cuts s to at most n bytes, at a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.ToValidUTF8(s[:n], "") + "..."
}

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
