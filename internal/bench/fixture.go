// Package bench holds the fixtures of the SDK's benchmark suite (see
// BENCHMARKS.md and run.sh): a loopback server answering with fixed,
// Harbor-like bodies, and the hand-written net/http + encoding/json client
// the generated client and the facade are measured against.
package bench

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// PageSize is the number of projects in the fixed list answer (Harbor's
// largest page).
const PageSize = 100

// RobotCreatedBody is Harbor's 201 answer to POST /robots.
const RobotCreatedBody = `{"creation_time":"2026-11-26T21:30:21.147Z","expires_at":1798320643,"id":1,` +
	`"name":"robot$x","secret":"f4rVdHLJxbqIbVMskT0YJzx1AsWtDtGx"}` + "\n"

// ProjectsPage returns a JSON array of n projects shaped like Harbor's GET
// /projects answer, with Harbor's millisecond timestamps.
func ProjectsPage(n int) []byte { return projectsPage(1, n) }

// projectsPage is n projects from id from on.
func projectsPage(from, n int) []byte {
	var b strings.Builder
	b.WriteByte('[')
	for i := from; i < from+n; i++ {
		if i > from {
			b.WriteByte(',')
		}
		ms := 100 + i%900
		fmt.Fprintf(&b, `{"creation_time":"2026-11-26T21:30:21.%03dZ","current_user_role_id":1,"current_user_role_ids":[1],`+
			`"cve_allowlist":{"creation_time":"0001-01-01T00:00:00.000Z","id":%d,"items":[],"project_id":%d,"update_time":"0001-01-01T00:00:00.000Z"},`+
			`"metadata":{"public":"false"},"name":"project-%05d","owner_id":1,"owner_name":"admin","project_id":%d,"repo_count":0,`+
			`"update_time":"2026-11-26T21:30:21.%03dZ"}`, ms, i, i, i, i, ms)
	}
	b.WriteString("]\n")
	return []byte(b.String())
}

// Server is a loopback HTTP server with fixed answers under /api/v2.0:
// GET /projects (a page of PageSize projects, X-Total-Count 1000) and POST
// /robots (201 with RobotCreatedBody). It counts the connections it
// accepts.
type Server struct {
	*httptest.Server
	// APIURL is URL + "/api/v2.0".
	APIURL string
	conns  atomic.Int64
}

// NewServer starts a Server. With chunked, the list answer has no
// Content-Length and goes out with Transfer-Encoding: chunked (as Harbor's
// larger answers do); otherwise it carries a Content-Length.
func NewServer(chunked bool) *Server {
	page := ProjectsPage(PageSize)
	s := &Server{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2.0/projects", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("X-Total-Count", "1000")
		h.Set("Link", `</api/v2.0/projects?page=2&page_size=100>; rel="next"`)
		h.Set("X-Request-Id", "3c8a1a6e-6f3a-4c39-9a53-0a4f1f0e3b7e")
		if !chunked {
			h.Set("Content-Length", strconv.Itoa(len(page)))
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(page)
	})
	mux.HandleFunc("POST /api/v2.0/robots", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Location", "/api/v2.0/robots/1")
		h.Set("X-Request-Id", "3c8a1a6e-6f3a-4c39-9a53-0a4f1f0e3b7e")
		h.Set("Content-Length", strconv.Itoa(len(RobotCreatedBody)))
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, RobotCreatedBody)
	})
	s.Server = httptest.NewUnstartedServer(mux)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	s.APIURL = s.URL + "/api/v2.0"
	return s
}

// NewListServer starts a server whose GET /api/v2.0/projects lists total
// projects in pages of PageSize, as Harbor does (X-Total-Count, Link
// rel="next"), after sleeping latency. Every page holds the same
// precomputed projects, so the server costs next to no CPU: listing against
// it measures the client, where harbortest's answers cost as much CPU as
// the client's decoding.
func NewListServer(total int, latency time.Duration) *Server {
	pages := (total + PageSize - 1) / PageSize
	bodies := make([][]byte, pages) // each page its own projects, as Harbor pages
	for p := range bodies {
		bodies[p] = projectsPage(p*PageSize+1, min(PageSize, total-p*PageSize))
	}
	s := &Server{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2.0/projects", func(w http.ResponseWriter, r *http.Request) {
		if latency > 0 {
			time.Sleep(latency)
		}
		page, err := strconv.Atoi(r.URL.Query().Get("page"))
		if err != nil || page < 1 {
			page = 1
		}
		body := []byte("[]\n")
		if page <= pages {
			body = bodies[page-1]
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("X-Total-Count", strconv.Itoa(total))
		if page < pages {
			h.Set("Link", fmt.Sprintf(`</api/v2.0/projects?page=%d&page_size=%d>; rel="next"`, page+1, PageSize))
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
	s.Server = httptest.NewUnstartedServer(mux)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	s.APIURL = s.URL + "/api/v2.0"
	return s
}

// ConnectionsAccepted reports how many TCP connections the server accepted.
func (s *Server) ConnectionsAccepted() int64 { return s.conns.Load() }

// Project is the hand-written baseline's view of a Harbor project.
type Project struct {
	ProjectID          int32             `json:"project_id"`
	Name               string            `json:"name"`
	OwnerID            int32             `json:"owner_id"`
	OwnerName          string            `json:"owner_name"`
	RepoCount          int64             `json:"repo_count"`
	CurrentUserRoleID  int64             `json:"current_user_role_id"`
	CurrentUserRoleIDs []int32           `json:"current_user_role_ids"`
	CreationTime       time.Time         `json:"creation_time"`
	UpdateTime         time.Time         `json:"update_time"`
	Metadata           map[string]string `json:"metadata"`
	CVEAllowlist       *struct {
		ID           int64     `json:"id"`
		ProjectID    int64     `json:"project_id"`
		Items        []any     `json:"items"`
		CreationTime time.Time `json:"creation_time"`
		UpdateTime   time.Time `json:"update_time"`
	} `json:"cve_allowlist"`
}

// RobotCreated is the hand-written baseline's view of POST /robots' answer.
type RobotCreated struct {
	CreationTime time.Time `json:"creation_time"`
	ExpiresAt    int64     `json:"expires_at"`
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Secret       string    `json:"secret"`
}

// RobotAccess is one access of the baseline's robot request.
type (
	RobotAccess struct {
		Resource string `json:"resource"`
		Action   string `json:"action"`
		Effect   string `json:"effect,omitempty"`
	}
	// RobotPermission is one permission of the baseline's robot request.
	RobotPermission struct {
		Kind      string        `json:"kind"`
		Namespace string        `json:"namespace"`
		Access    []RobotAccess `json:"access"`
	}
	// RobotCreate is the baseline's robot request.
	RobotCreate struct {
		Name        string            `json:"name"`
		Description string            `json:"description,omitempty"`
		Level       string            `json:"level"`
		Duration    int64             `json:"duration"`
		Disable     bool              `json:"disable"`
		Permissions []RobotPermission `json:"permissions"`
	}
)

// CPUMeter reports the process's CPU time per op of a benchmark as
// "cpu-ns/op". Start it right before the b.Loop loop and call Report after
// it; it reports nothing where CPUTime is unavailable.
type CPUMeter struct {
	start time.Duration
	ok    bool
}

// StartCPU starts a CPUMeter.
func StartCPU() CPUMeter {
	d, ok := CPUTime()
	return CPUMeter{start: d, ok: ok}
}

// Report adds the cpu-ns/op metric to b, n being b.N.
func (m CPUMeter) Report(b interface{ ReportMetric(float64, string) }, n int) {
	end, ok := CPUTime()
	if !m.ok || !ok || n <= 0 {
		return
	}
	b.ReportMetric(float64(end-m.start)/float64(n), "cpu-ns/op")
}
