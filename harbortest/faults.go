package harbortest

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"
)

type fault struct {
	remaining  int
	status     int // FailNext's; 0 for CutNext
	method     string
	pathPrefix string
	retryAfter string
	apply      bool
}

// FaultOption narrows or refines a fault set up with FailNext or CutNext.
type FaultOption func(*fault)

// OnMethod limits the fault to requests with the HTTP method; it panics if method is empty.
func OnMethod(method string) FaultOption {
	refuseIf(strings.TrimSpace(method) == "", "OnMethod: method is empty")
	return func(f *fault) { f.method = strings.ToUpper(method) }
}

// OnPath limits the fault to requests whose path starts with prefix
// ("/api/v2.0/projects"). It panics if prefix does not start with "/".
func OnPath(prefix string) FaultOption {
	refuseIf(!strings.HasPrefix(prefix, "/"), "OnPath: prefix %q does not start with \"/\"", prefix)
	return func(f *fault) { f.pathPrefix = prefix }
}

// WithRetryAfter adds Retry-After: value ("2", an HTTP date) to FailNext's answers; it panics if empty.
func WithRetryAfter(value string) FaultOption {
	refuseIf(strings.TrimSpace(value) == "", "WithRetryAfter: value is empty")
	return func(f *fault) { f.retryAfter = value }
}

// AfterApply makes CutNext perform the request (create the robot of a POST /robots) and cut
// the connection while sending the answer, so the client cannot know the outcome.
func AfterApply() FaultOption { return func(f *fault) { f.apply = true } }

// SetLatency delays every answer by d (a request cancelled meanwhile gets none); it panics if d < 0.
func (s *Server) SetLatency(d time.Duration) {
	refuseIf(d < 0, "SetLatency: d must not be negative, got %v", d)
	s.latency.Store(int64(d))
}

// FailNext answers the next n matching requests, unperformed, with status and Harbor's error
// body; faults queue in call order. It panics if n < 1 or status is not 400-599.
func (s *Server) FailNext(n int, status int, opts ...FaultOption) {
	refuseIf(n < 1, "FailNext: n must be at least 1, got %d", n)
	refuseIf(status < 400 || status > 599, "FailNext: status must be an HTTP error status (400-599), got %d", status)
	s.addFault(&fault{remaining: n, status: status}, opts)
}

// CutNext closes the connection of the next n matching requests, unperformed (see AfterApply),
// after the headers and part of the body. It panics if n < 1.
func (s *Server) CutNext(n int, opts ...FaultOption) {
	refuseIf(n < 1, "CutNext: n must be at least 1, got %d", n)
	s.addFault(&fault{remaining: n}, opts)
}

func (s *Server) addFault(f *fault, opts []FaultOption) {
	for i, o := range opts {
		refuseIf(o == nil, "fault option %d is nil", i)
		o(f)
	}
	s.mu.Lock()
	s.faults = append(s.faults, f)
	s.mu.Unlock()
}

// takeFault returns the first fault matching r, consuming one use.
func (s *Server) takeFault(r *http.Request) *fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.method != "" && f.method != r.Method || !strings.HasPrefix(r.URL.Path, f.pathPrefix) {
			continue
		}
		f.remaining--
		if f.remaining <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return f
	}
	return nil
}

// cut sends the status, headers and half the body of a JSON 200, or of r's answer (AfterApply), and hangs up.
func (s *Server) cut(w http.ResponseWriter, r *http.Request, apply bool) {
	rec := httptest.NewRecorder()
	if apply {
		s.handle(rec, r)
	} else {
		rec.Header().Set("Content-Type", "application/json")
		rec.Body.WriteString(`[{"creation_time":"` + harborTime(s.now()) + `","name":"cut-in-the-middle"}]` + "\n")
	}
	body := rec.Body.Bytes()
	if len(body) == 0 {
		body = []byte("{}\n")
	}
	maps.Copy(w.Header(), rec.Header())
	if _, ok := rec.Header()["Set-Cookie"]; !ok {
		w.Header().Add("Set-Cookie", "sid="+randomHex(16)+"; Path=/; HttpOnly")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body[:len(body)/2])
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	if conn, _, err := rc.Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}
