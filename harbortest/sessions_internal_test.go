package harbortest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"runtime"
	"testing"
)

// Memory stays flat under a client that keeps cookies (a browser, Python's
// requests.Session) or drops them: nothing is stored per request, only per
// login (issue 19 item 2: a CSRF token was stored for every request).
// The heap is measured around 20,000 requests after a GC.
func TestSessionsAndCSRFStoreNothingPerRequest(t *testing.T) {
	srv := NewServer(WithRequestLogLimit(0)) // as cmd/harbortest
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	get := func(hc *http.Client, path string) {
		resp, err := hc.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	get(browser, "/c/log_out") // a sid and a CSRF cookie, kept
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	for range 20000 {
		get(browser, "/api/v2.0/projects")
	}
	// Storing a token per request grew the heap by 5.1 MiB here.
	if grown := int64(heap()) - int64(before); grown > 2<<20 {
		t.Errorf("the heap grew by %d bytes over 20,000 requests", grown)
	}
	for range 100 {
		get(http.DefaultClient, "/api/v2.0/systeminfo")
		get(browser, "/c/log_out")
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.sessions) != 0 {
		t.Fatalf("%d sessions stored without a login", len(srv.sessions))
	}
}
