package harbortest

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/harborkit/harbor-sdk-go/internal/uuid"
)

const apiPrefix = "/api/v2.0"

// Server is an in-memory Harbor v2.15.2 API server on a local port; its methods are concurrency-safe.
type Server struct {
	URL           string // base URL without a trailing slash, e.g. "http://127.0.0.1:41234"
	AdminUsername string // "admin"
	AdminPassword string // "Harbor12345" unless WithAdminPassword was given

	ts      *httptest.Server
	mux     *http.ServeMux
	cfg     config
	conn    atomic.Int64
	latency atomic.Int64 // SetLatency's time.Duration

	mu             sync.Mutex // guards what follows but the counter
	state          *state
	faults         []*fault
	requests       []RecordedRequest
	csrfKey        [32]byte              // signs _gorilla_csrf cookies and anonymous sids
	sessions       map[string]*uiSession // by sid
	passwordChecks atomic.Int64
}

// NewServer starts a Server like a fresh Harbor ("admin", the public "library"); it panics where Start fails.
func NewServer(opts ...Option) *Server {
	s, err := Start(opts...)
	if err != nil {
		panic(err.Error())
	}
	return s
}

// New starts a Server for t (a failure fails t) and closes it when t ends.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start is NewServer returning an error for a bad option or address.
func Start(opts ...Option) (*Server, error) {
	cfg := config{robotPrefix: "robot$", adminPassword: "Harbor12345", clock: time.Now, requestLog: -1}
	for i, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("harbortest: option %d is nil", i)
		}
		o(&cfg)
	}
	if cfg.err != nil {
		return nil, cfg.err
	}
	s := &Server{
		AdminUsername: "admin",
		AdminPassword: cfg.adminPassword,
		cfg:           cfg,
		sessions:      map[string]*uiSession{},
	}
	_, _ = rand.Read(s.csrfKey[:])
	s.state = newState(cfg.clock(), cfg.adminPassword, cfg.robotPrefix)
	s.mux = s.newMux()
	s.ts = httptest.NewUnstartedServer(s.Handler())
	if cfg.addr != "" {
		l, err := net.Listen("tcp", cfg.addr)
		if err != nil {
			s.ts.Close()
			return nil, fmt.Errorf("harbortest: listen on %s: %w", cfg.addr, err)
		}
		s.ts.Listener.Close()
		s.ts.Listener = l
	}
	// A client that never finishes its headers cannot hold a connection.
	s.ts.Config.ReadHeaderTimeout = time.Minute
	s.ts.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conn.Add(1)
		}
	}
	if cfg.tls {
		s.ts.StartTLS()
	} else {
		s.ts.Start()
	}
	s.URL = s.ts.URL
	return s, nil
}

// Handler returns the server's http.Handler, sharing its state.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Close shuts the server down and blocks until all requests have finished.
func (s *Server) Close() {
	s.stopWebhooks()
	s.ts.CloseClientConnections()
	s.ts.Close()
}

// HTTPClient returns an *http.Client trusting the server's certificate, without cookies.
func (s *Server) HTTPClient() *http.Client { return s.ts.Client() }

// Certificate returns the TLS certificate of a WithTLS server, or nil.
func (s *Server) Certificate() *x509.Certificate { return s.ts.Certificate() }

// CertPEM returns the PEM encoding of Certificate, or nil for a plain HTTP server.
func (s *Server) CertPEM() []byte {
	if c := s.ts.Certificate(); c != nil {
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	return nil
}

// ConnectionsAccepted reports how many TCP connections the server accepted.
func (s *Server) ConnectionsAccepted() int { return int(s.conn.Load()) }

func (s *Server) now() time.Time { return s.cfg.clock() }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// serveHTTP logs the request, sets its id, waits the latency and applies faults.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.record(r)
	w.Header().Set("X-Request-Id", cmp.Or(r.Header.Get("X-Request-Id"), uuid.New()))
	if d := time.Duration(s.latency.Load()); d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
	}
	switch f := s.takeFault(r); {
	case f == nil:
		s.handle(w, r)
	case f.status != 0:
		s.setSessionCookie(w, r)
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		writeError(w, errStatus(f.status, strings.ToLower(http.StatusText(f.status))))
	default:
		s.cut(w, r, f.apply)
	}
}

// handle applies cookies and CSRF, then routes.
func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	if !s.csrf(w, r) {
		return
	}
	s.setSessionCookie(w, r)
	if !isCleanPath(r.URL.Path) {
		// ServeMux would redirect to the cleaned path; Harbor answers 404 (b471).
		writeError(w, errNotFound("resource not found: "+r.URL.Path))
		return
	}
	if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
		// Harbor's router cleans the path: /quotas/ lists (set3/t001); Link keeps the slash.
		r = r.WithContext(context.WithValue(r.Context(), linkPathKey{}, p))
		u := *r.URL
		u.Path, u.RawPath = strings.TrimSuffix(p, "/"), strings.TrimSuffix(u.RawPath, "/")
		r.URL = &u
	}
	// ServeMux serves HEAD on a GET route; Harbor answers 405.
	if _, pattern := s.mux.Handler(r); r.Method == http.MethodHead && strings.HasPrefix(pattern, "GET ") {
		methodNotAllowed([]string{http.MethodGet})(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// linkPathKey holds the path as the client sent it, for Link headers.
type linkPathKey struct{}

// isCleanPath reports whether p has no ".", ".." or empty segment but a trailing slash.
func isCleanPath(p string) bool {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c == p
}
