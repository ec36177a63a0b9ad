package harbortest

import (
	"net/http"
	"slices"
	"time"
)

// RecordedRequest is one request as the server received it.
type RecordedRequest struct {
	Method   string
	Path     string      // URL path, e.g. "/api/v2.0/projects"
	RawQuery string      // encoded query without "?"
	Header   http.Header // an Authorization value reads "REDACTED"
	BodySize int64       // Content-Length as sent (-1 if unknown)
	Time     time.Time
}

func (s *Server) record(r *http.Request) {
	h := r.Header.Clone()
	if h.Get("Authorization") != "" {
		h.Set("Authorization", "REDACTED")
	}
	rr := RecordedRequest{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Header: h, BodySize: r.ContentLength, Time: s.now()}
	s.mu.Lock()
	s.requests = append(s.requests, rr)
	if n := s.cfg.requestLog; n >= 0 && len(s.requests) > n {
		s.requests = slices.Delete(s.requests, 0, len(s.requests)-n) // WithRequestLogLimit
	}
	s.mu.Unlock()
}

// Requests returns a copy of the request log, oldest first (see WithRequestLogLimit).
func (s *Server) Requests() []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RecordedRequest(nil), s.requests...)
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.requests = nil
	s.mu.Unlock()
}
