package harbortest_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// TestResourcesConcurrent has 100 clients create and read labels, members,
// metadata, registries, webhook policies, immutable rules and quotas at
// once; run with -race. Every create must succeed exactly once.
func TestResourcesConcurrent(t *testing.T) {
	srv := harbortest.NewServer()
	defer srv.Close()
	srv.AddProject("p", false)
	for i := 0; i < 100; i++ {
		srv.AddUser(fmt.Sprintf("u%03d", i), "Passw0rd1", false)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 1000)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			reqs := []struct {
				method, path, body string
				want               int
			}{
				{"POST", "/api/v2.0/labels", fmt.Sprintf(`{"name":"l%d","scope":"g"}`, i), 201},
				{"POST", "/api/v2.0/projects/p/members", fmt.Sprintf(`{"role_id":3,"member_user":{"username":"u%03d"}}`, i), 201},
				{"POST", "/api/v2.0/projects/p/metadatas/", fmt.Sprintf(`{"auto_scan":"%v"}`, i%2 == 0), 200},
				{"POST", "/api/v2.0/registries", fmt.Sprintf(`{"name":"r%d","type":"docker-registry","url":"http://h%d"}`, i, i), 201},
				{"POST", "/api/v2.0/projects/p/webhook/policies", fmt.Sprintf(`{"name":"w%d","event_types":["PUSH_ARTIFACT"],"targets":[{"type":"http","address":"http://h"}]}`, i), 201},
				{"POST", "/api/v2.0/projects/p/immutabletagrules", fmt.Sprintf(`{"tag_selectors":[{"pattern":"v%d"}]}`, i), 201},
				{"GET", "/api/v2.0/quotas?page_size=0", "", 200},
				{"GET", "/api/v2.0/projects/p/members?page_size=0", "", 200},
				{"GET", "/api/v2.0/projects/p", "", 200},
			}
			for _, rq := range reqs {
				req, _ := http.NewRequest(rq.method, srv.URL+rq.path, stringsReader(rq.body))
				req.SetBasicAuth("admin", srv.AdminPassword)
				req.Header.Set("Content-Type", "application/json")
				resp, err := srv.HTTPClient().Do(req)
				if err != nil {
					errs <- err.Error()
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != rq.want {
					errs <- fmt.Sprintf("%s %s: %d", rq.method, rq.path, resp.StatusCode)
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	for _, c := range []struct{ path, total string }{
		{"/api/v2.0/labels?scope=g", "100"}, {"/api/v2.0/projects/p/members", "101"},
		{"/api/v2.0/registries", "100"}, {"/api/v2.0/projects/p/webhook/policies", "100"},
		{"/api/v2.0/projects/p/immutabletagrules", "100"},
	} {
		_, h, _ := call(t, srv, "GET", c.path, "admin", srv.AdminPassword, "")
		if got := h.Get("X-Total-Count"); got != c.total {
			t.Errorf("%s: X-Total-Count %s, want %s", c.path, got, c.total)
		}
	}
}
