package harbortest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestSlowBodyDoesNotBlockOthers sends every write operation a body that
// stops after its first bytes (a slow or stalled client) and checks that
// the server still answers GET /projects meanwhile: no handler may read its
// body while it holds the server's lock.
func TestSlowBodyDoesNotBlockOthers(t *testing.T) {
	s := New(t)
	s.AddProject("probe", true)
	s.AddImage("probe", "app", "1.0")
	h := s.Handler()
	for _, sd := range hostileSeeds {
		if status, _, body, _ := probeOnce(h, s.AdminUsername, s.AdminPassword,
			hostileCase{method: "POST", target: apiPrefix + sd[0], body: sd[1]}); status != http.StatusCreated {
			t.Fatalf("seeding POST %s: %d %s", sd[0], status, body)
		}
	}
	for _, op := range operations {
		if op.method != "POST" && op.method != "PUT" && op.method != "PATCH" {
			continue
		}
		target := apiPrefix + pathParamRE.ReplaceAllStringFunc(op.path, func(m string) string {
			if v, ok := validParam[m[1:len(m)-1]]; ok {
				return v
			}
			return "1"
		})
		pr, pw := io.Pipe()
		req := httptest.NewRequest(op.method, target, pr)
		req.SetBasicAuth(s.AdminUsername, s.AdminPassword)
		req.Header.Set("Content-Type", "application/json")
		done := make(chan struct{})
		go func() {
			defer close(done)
			h.ServeHTTP(httptest.NewRecorder(), req)
		}()
		wrote := make(chan struct{})
		go func() {
			_, _ = pw.Write([]byte(`{"name":`)) // returns once the handler reads
			close(wrote)
		}()
		select {
		case <-wrote: // the handler is reading the body, and stalls
		case <-done: // answered without reading the body
		case <-time.After(hostileTimeout):
			t.Errorf("%s: neither reads its body nor answers", op.id)
		}
		status, _, _, problem := probeOnce(h, s.AdminUsername, s.AdminPassword,
			hostileCase{method: "GET", target: apiPrefix + "/projects"})
		if problem != "" || status != http.StatusOK {
			t.Errorf("%s %s: GET /projects while its body stalls: %d %s", op.method, op.path, status, problem)
		}
		pw.CloseWithError(io.ErrUnexpectedEOF)
		<-done
		<-wrote
	}
}
