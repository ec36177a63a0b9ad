package harbortest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
)

// maxBody bounds a request body. Harbor reads bodies without a practical
// limit (beego's MaxMemory and MaxUploadSize default to 128 GiB,
// src/common/const.go; go-swagger sets none); harbortest holds a body in
// memory while it handles it, so it refuses a larger one with 413
// (CONFORMANCE.md). No request of swagger.yaml comes near it.
const maxBody = 4 << 20

// handler serves one operation: it reads the request and the state (s.mu is
// held) and returns the answer, or the error Harbor would answer. It writes
// nothing itself; the adapter (Server.adapt) does, once.
type handler func(r *request) (answer, *apiError)

// request is what a handler reads: the HTTP request, whose Body is the
// whole body the adapter read (bounded by maxBody), and the caller.
type request struct {
	*http.Request
	id     identity
	header http.Header // response headers (Location, X-Total-Count, Link)
	events []event
	mu     *sync.Mutex // the Server's, held while the handler runs
}

// outside runs f without the lock (a network call: a preheat provider's
// or an OIDC issuer's probe) and takes the lock back; the handler must look
// up again whatever it uses from the state afterwards.
func (r *request) outside(f func()) {
	r.mu.Unlock()
	defer r.mu.Lock()
	f()
}

// answer is a handler's successful response. A nil body writes none; a
// textBody is text/plain; a verbatim body is written as it is; an emptyJSON is an
// application/json answer with no body; a stream is written after the lock
// is released; anything else is encoded as JSON the way go-swagger does. A
// Content-Type the handler set in r.header is kept.
type answer struct {
	status int
	body   any
}

// textBody is a text/plain answer body (job logs).
type textBody string

// verbatim is a body written as it is: JSON unless the handler set another
// Content-Type.
type verbatim []byte

// stream writes a large body after the lock is released (CVE exports); the
// handler sets the headers.
type stream func(w io.Writer)

// marshalled is v as json.Marshal writes it (HTML escaped), with the
// trailing newline of json.Encoder: what Harbor's hand-written handlers send.
func marshalled(v any) verbatim {
	b, _ := json.Marshal(v)
	return verbatim(append(b, '\n'))
}

// emptyJSON is what Harbor answers for a schedule that does not exist: 200,
// Content-Type application/json and no body.
type emptyJSON struct{}

// reply answers 200 with body v (nil: no body).
func reply(v any) (answer, *apiError) { return answer{http.StatusOK, v}, nil }

// created answers 201 with a Location header and no body.
func (r *request) created(location string) (answer, *apiError) {
	r.header.Set("Location", location)
	return answer{status: http.StatusCreated}, nil
}

// page answers one page of items with X-Total-Count and Link headers; the
// page is never encoded as null.
func page[T any](r *request, items []T, pp pageParams) (answer, *apiError) {
	start, end := pp.bounds(len(items))
	out := items[start:end]
	if out == nil {
		out = []T{}
	}
	setPagination(r.header, r, len(items), pp)
	return reply(out)
}

// event is something Harbor announces by webhook (a push, a deletion, a
// scan, a quota warning, a retention run, a replication). A handler fires it
// with r.fire; the adapter hands the request's events to s.deliver after it
// released the lock (webhook_fire.go).
type event struct {
	kind      string // Harbor's event type, e.g. "PUSH_ARTIFACT"
	projectID int64
	data      any
}

// fire records an event to deliver once the request is answered.
func (r *request) fire(e event) { r.events = append(r.events, e) }

// adapt turns a handler into an http.Handler: it refuses an anonymous write
// before reading its body (no anonymous caller may write in Harbor), reads
// the body bounded by maxBody holding no lock (a client that stalls mid-body
// blocks nobody), takes the lock, authenticates, calls the handler, encodes
// its answer, releases the lock, hands off the events fired, and writes the
// answer or Harbor's error body.
func (s *Server) adapt(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, hr *http.Request) {
		if !s.readBody(w, hr) {
			return
		}
		r := &request{Request: hr, header: w.Header(), mu: &s.mu}
		var out bytes.Buffer
		a, e := s.locked(r, h, &out)
		s.deliver(r.events)
		if e != nil {
			writeError(w, e)
			return
		}
		w.WriteHeader(a.status)
		if st, ok := a.body.(stream); ok {
			st(w)
			return
		}
		_, _ = w.Write(out.Bytes())
	}
}

// locked authenticates r and runs h under the lock, and encodes its answer
// there (a body may share the state's maps). A handler that panics leaves
// the lock released.
func (s *Server) locked(r *request, h handler, out *bytes.Buffer) (answer, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.id = s.authenticate(r.Request)
	a, e := h(r)
	if e == nil {
		a.encode(r.header, out)
	}
	return a, e
}

// readBody refuses an anonymous write that carries a body without reading
// it, reads the body whole (413 past maxBody) holding no lock, and puts it
// back in hr.Body. It reports whether to go on; when not, it has answered
// (or the client went away).
func (s *Server) readBody(w http.ResponseWriter, hr *http.Request) bool {
	if hr.ContentLength != 0 && hr.Method != http.MethodGet && hr.Method != http.MethodHead {
		s.mu.Lock()
		anonymous := !s.authenticate(hr).authenticated()
		s.mu.Unlock()
		if anonymous {
			writeError(w, errUnauthorized())
			return false
		}
	}
	if hr.ContentLength > maxBody {
		writeError(w, errTooLarge())
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, hr.Body, maxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeError(w, errTooLarge())
		return false
	}
	if err != nil {
		return false // the client went away
	}
	hr.Body = io.NopCloser(bytes.NewReader(body))
	return true
}

// encode sets the Content-Type of a's body and writes the body to out.
func (a answer) encode(h http.Header, out *bytes.Buffer) {
	ct := "application/json"
	switch b := a.body.(type) {
	case nil, stream:
		return
	case verbatim:
		out.Write(b)
	case textBody:
		ct = "text/plain"
		out.WriteString(string(b))
	case emptyJSON:
	default:
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(b)
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", ct)
	}
}

// errTooLarge refuses a body larger than maxBody.
func errTooLarge() *apiError {
	return &apiError{http.StatusRequestEntityTooLarge, codeForStatus(http.StatusRequestEntityTooLarge),
		"request body is larger than 4 MiB, harbortest's limit"}
}
