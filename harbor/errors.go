package harbor

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Sentinel errors. Those for statuses match (errors.Is) the error of any
// call whose answer had that status (docs/errors.md).
var (
	ErrBadRequest   = errors.New("harbor: bad request")  // a 400 answer: Harbor refused the request's content
	ErrUnauthorized = errors.New("harbor: unauthorized") // a 401 answer: no or wrong credentials
	// ErrForbidden matches a 403 answer: the credentials lack a permission
	// (or a cookie was sent back on a write: Harbor's CSRF check).
	ErrForbidden = errors.New("harbor: forbidden")
	ErrNotFound  = errors.New("harbor: not found") // a 404 answer
	ErrConflict  = errors.New("harbor: conflict")  // a 409 answer: the resource already exists
	// ErrPreconditionFailed matches a 412 answer (Harbor also uses it for
	// "not available for this kind of user", e.g. GET /users/current as a robot).
	ErrPreconditionFailed = errors.New("harbor: precondition failed")
	ErrUnprocessable      = errors.New("harbor: unprocessable entity") // a 422 answer
	ErrTooManyRequests    = errors.New("harbor: too many requests")    // a 429 answer
	ErrServer             = errors.New("harbor: server error")         // any 5xx answer, a proxy's HTML 502 page included

	// ErrUnexpectedContent matches a 2xx answer whose body is not what the
	// operation declares (the portal's HTML page, JSON that does not
	// decode). The message names the URL used.
	ErrUnexpectedContent = errors.New("harbor: answer is not from Harbor's API")

	// ErrOutcomeUnknown matches a failure of a POST or PATCH that may have
	// reached Harbor (its request was written, then the answer was lost or
	// was a 502, a 504 or an unreadable 2xx), which the facade does not
	// retry: check the server's state first. It also matches the cause.
	ErrOutcomeUnknown = errors.New("harbor: outcome of the request is unknown")

	// ErrServerVersionUnknown matches the error of ServerVersion and
	// CheckCompatibility when Harbor's answer does not tell its version (it
	// does not to anonymous callers, wrong credentials included).
	ErrServerVersionUnknown = errors.New("harbor: server version unknown")

	// ErrInvalidRobot matches a robot description Harbor would refuse, found
	// before any request; the error names the field.
	ErrInvalidRobot = errors.New("harbor: invalid robot")

	// ErrRobotIncomplete matches a RobotIncompleteError: Harbor created the
	// robot but a later step failed; the robot and its secret are returned.
	ErrRobotIncomplete = errors.New("harbor: robot created, but not every step succeeded")
)

// ErrorItem is one entry of Harbor's error body {"errors":[{"code":..,"message":..}]}.
type ErrorItem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is the error of every call answered with a status outside 2xx: it
// matches the status sentinels and unwraps to the generated operation's
// error. Texts taken from the answer never contain the client's secret.
type Error struct {
	StatusCode int    // the answer's HTTP status
	Method     string // the request's HTTP method
	// Path is the URL path as sent, e.g. /api/v2.0/projects/library
	// (a repository "team/app" is escaped twice: team%252Fapp).
	Path       string
	RequestID  string      // the answer's X-Request-Id, or else the caller's
	Errors     []ErrorItem // Harbor's error items; empty when the body was not its error JSON
	Body       string      // a short excerpt of a body that was not Harbor's error JSON
	Location   string      // the Location header of a 3xx answer that was not followed
	RetryAfter string      // the answer's Retry-After header as sent (429, 503)

	generated error // the generated operation's own error, when it gave one
}

// Error returns one line: method, path, status, Harbor's messages (or the
// body excerpt, or the Location) and the request id.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Method != "" || e.Path != "" {
		b.WriteString(strings.TrimSpace(e.Method + " " + e.Path))
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	sep := ": "
	for _, it := range e.Errors {
		b.WriteString(sep)
		if it.Code != "" {
			b.WriteString(it.Code + ": ")
		}
		b.WriteString(it.Message)
		sep = "; "
	}
	if e.Location != "" {
		b.WriteString(": not followed, Location: " + e.Location)
	}
	if len(e.Errors) == 0 && e.Body != "" {
		b.WriteString(": " + truncate(e.Body, 200))
	}
	if e.RetryAfter != "" {
		b.WriteString(" (Retry-After: " + truncate(e.RetryAfter, 40) + ")")
	}
	if e.RequestID != "" {
		b.WriteString(" (request id " + e.RequestID + ")")
	}
	s := b.String()
	if strings.ContainsAny(s, "\r\n\t") { // one log line, whatever the answer held
		s = strings.Join(strings.Fields(s), " ")
	}
	return s
}

// Is reports whether target is the sentinel for e's status.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	case ErrOutcomeUnknown: // a gateway answered for Harbor, which may have got the write
		return (e.StatusCode == http.StatusBadGateway || e.StatusCode == http.StatusGatewayTimeout) && !isIdempotent(e.Method)
	}
	return statusSentinels[e.StatusCode] == target // errors.Is never asks for nil
}

// Unwrap returns the generated operation's error: its typed error for a
// status the spec declares (e.g. *project.DeleteProjectNotFound), else a
// *runtime.APIError.
func (e *Error) Unwrap() error { return e.generated }

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

// AsError returns the *Error in err's chain, or nil, false when err holds
// no Harbor answer (a network error).
func AsError(err error) (*Error, bool) {
	var he *Error
	ok := errors.As(err, &he)
	return he, ok
}

// IsStatus reports whether err carries a Harbor answer with the given status.
func IsStatus(err error, status int) bool {
	e, ok := AsError(err)
	return ok && e.StatusCode == status
}

// unexpectedContentError is a 2xx answer whose body is not what the
// operation declares; it matches ErrUnexpectedContent.
type unexpectedContentError struct {
	method, url, contentType string
	status                   int
	err                      error // the decoding error, if any
}

func (e *unexpectedContentError) Error() string {
	msg := fmt.Sprintf("%s %s: answer %d with content type %q is not what the operation expects", e.method, e.url, e.status, e.contentType)
	if e.err != nil {
		msg += " (" + e.err.Error() + ")"
	}
	return msg + "; check that the URL points at Harbor (the SDK adds /api/v2.0 itself)"
}

func (e *unexpectedContentError) Is(target error) bool { return target == ErrUnexpectedContent }
func (e *unexpectedContentError) Unwrap() error        { return e.err }

// outcomeUnknownError is a failure of a POST or PATCH that may have reached Harbor.
type outcomeUnknownError struct {
	method, url string
	err         error
}

func (e *outcomeUnknownError) Error() string {
	return fmt.Sprintf("%s %s: the request may have reached Harbor, which may or may not have carried it out "+
		"(outcome unknown; not retried): %v", e.method, e.url, e.err)
}

func (e *outcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.err} }

// notSentError is a failure before the request was written whole on the
// wire: Harbor did not get it.
type notSentError struct {
	method, url string
	plainHTTP   string // the http:// URL to use, when an https request met a plain-HTTP server
	err         error
}

func (e *notSentError) Error() string {
	if e.plainHTTP != "" {
		return fmt.Sprintf("%s %s: not sent: the server speaks plain HTTP: use %s (a URL without a scheme means https): %v",
			e.method, e.url, e.plainHTTP, e.err)
	}
	return fmt.Sprintf("%s %s: not sent (Harbor did not get the request): %v", e.method, e.url, e.err)
}

func (e *notSentError) Unwrap() error { return e.err }

// redirectError is a redirect refused because it leaves the client's origin.
type redirectError struct {
	from, to, origin string
}

func (e *redirectError) Error() string {
	return fmt.Sprintf("harbor: redirect from %s to %s refused: it leaves the client's origin %s "+
		"(credentials are only sent there; give NewClient the URL Harbor redirects to)", e.from, e.to, e.origin)
}

// readError is a failure to read a streamed answer: the exchange broke,
// the answer is not at fault.
type readError struct{ err error }

func (e *readError) Error() string { return "reading the answer: " + e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// notFoundError is a search that Harbor answered with no match: it matches
// ErrNotFound without pretending Harbor answered 404.
type notFoundError struct{ what string }

func (e *notFoundError) Error() string        { return e.what }
func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }

// RobotIncompleteError is returned, with the robot, when Harbor holds the
// robot but a later step failed. Its message names the robot, the step and
// which secret was returned, never the secret.
type RobotIncompleteError struct {
	ID   int64  // the robot's id
	Name string // the robot's name
	Step string // what failed, e.g. "set the chosen secret" or "save the credentials file"
	// Returned says which secret was returned and whether Harbor was seen
	// to accept it.
	Returned string
	Err      error // the step's error
}

// Error describes the robot, the failed step and what was returned.
func (e *RobotIncompleteError) Error() string {
	return fmt.Sprintf("harbor: robot %q (id %d) exists, but could not %s; returned: %s: %v",
		e.Name, e.ID, e.Step, e.Returned, e.Err)
}

// Unwrap returns ErrRobotIncomplete and the step's error.
func (e *RobotIncompleteError) Unwrap() []error { return []error{ErrRobotIncomplete, e.Err} }

// helperError is a facade helper's error in one voice: "harbor: <Helper>: "
// before the cause and, after a 403, the access the helper needs.
type helperError struct {
	helper string
	err    error
}

func (e *helperError) Error() string {
	msg := strings.TrimPrefix(e.err.Error(), "harbor: ")
	if rest, ok := strings.CutPrefix(msg, e.helper); ok && (rest == "" || rest[0] == ':' || rest[0] == ' ') {
		msg = strings.TrimSpace(strings.TrimPrefix(rest, ":"))
	}
	msg = "harbor: " + e.helper + ": " + msg
	if needs := helperNeeds[e.helper]; needs != "" && errors.Is(e.err, ErrForbidden) {
		msg += " (" + e.helper + " needs " + needs + ")"
	}
	return msg
}

func (e *helperError) Unwrap() error { return e.err }

// inVoice gives *err, when not nil, helper's voice; every facade helper
// defers it. The error of a helper called by another takes the caller's.
func inVoice(helper string, err *error) {
	if *err != nil {
		cause := *err
		if he, ok := cause.(*helperError); ok {
			cause = he.err
		}
		*err = &helperError{helper, cause}
	}
}

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
