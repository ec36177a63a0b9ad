package harbortest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/harborkit/harbor-sdk-go/webhook"
)

// maxBody bounds a body held in memory (413 past it); Harbor's is 128 GiB (src/common/const.go).
const maxBody = 4 << 20

// handler serves one operation under s.mu; Server.adapt writes what it returns.
type handler func(r *request) (answer, *apiError)

// request is what a handler reads: the request (its body read) and the caller.
type request struct {
	*http.Request
	id     identity
	header http.Header // the response's
	events []event
	mu     *sync.Mutex // the Server's, held while the handler runs
}

// outside runs f (a network probe) unlocked; look up the state again after it.
func (r *request) outside(f func()) {
	r.mu.Unlock()
	defer r.mu.Lock()
	f()
}

// probe reports whether a GET of url answers 2xx within 3 s: the real check of a ping (preheat, OIDC).
func probe(ctx context.Context, url string) bool { return probeJSON(ctx, url, nil) }

// probeJSON is probe also decoding the body (up to 1 MiB) into v, if not nil.
func probeJSON(ctx context.Context, url string, v any) bool {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	return ok && (v == nil || json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v) == nil)
}

// answer is a handler's success; encode writes its body.
type answer struct {
	status int
	body   any
}

type (
	textBody string          // text/plain (job logs)
	verbatim []byte          // written as it is, JSON unless the handler set a Content-Type
	stream   func(io.Writer) // written after the lock is released (CVE exports)
)

// marshalled is v as Harbor's hand-written handlers send it (HTML escaped, a newline).
func marshalled(v any) verbatim {
	b, _ := json.Marshal(v)
	return verbatim(append(b, '\n'))
}

// emptyJSON is Harbor's answer for a schedule that does not exist: 200, JSON, no body.
type emptyJSON struct{}

func reply(v any) (answer, *apiError) { return answer{http.StatusOK, v}, nil }

func (r *request) created(location string) (answer, *apiError) {
	r.header.Set("Location", location)
	return answer{status: http.StatusCreated}, nil
}

// event is something Harbor announces by webhook (webhook_fire.go).
type event struct {
	kind                string // Harbor's event type, e.g. "PUSH_ARTIFACT"
	projectID           int64
	operator, requestID string
	data                webhook.EventData
}

// fire records e; the adapter delivers it once the lock is released.
func (r *request) fire(e event) { r.events = append(r.events, e) }

// adapt turns h into an http.Handler: it authenticates, reads the body
// unlocked (a stalled client blocks nobody), runs h locked and writes.
func (s *Server) adapt(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, hr *http.Request) {
		r := &request{Request: hr, header: w.Header(), mu: &s.mu}
		s.mu.Lock()
		r.id = s.authenticate(hr)
		s.mu.Unlock()
		if !readBody(w, r) {
			return
		}
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

// locked runs h and encodes its answer (it may share the state's maps) locked.
func (s *Server) locked(r *request, h handler, out *bytes.Buffer) (answer, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, e := h(r)
	if e == nil {
		a.encode(r.header, out)
	}
	return a, e
}

// readBody refuses an anonymous write unread (401, as Harbor) or reads the
// body into r.Body (413 past maxBody). False: it has answered.
func readBody(w http.ResponseWriter, r *request) bool {
	if r.ContentLength != 0 && r.Method != http.MethodGet && r.Method != http.MethodHead && !r.id.authenticated() {
		writeError(w, errUnauthorized())
		return false
	}
	if r.ContentLength > maxBody {
		writeError(w, errTooLarge())
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeError(w, errTooLarge())
		return false
	}
	if err != nil {
		return false // the client went away
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return true
}

// encode writes a's body to out and sets its Content-Type, unless the handler did.
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
