package harbortest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

// runClients runs client(i, check) for n clients at once; check reports a
// status other than want, naming the client.
func runClients(t *testing.T, n int, client func(i int, check func(what string, want, got int, body string))) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan string, n*16)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client(i, func(what string, want, got int, body string) {
				if want != got {
					errs <- fmt.Sprintf("client %d: %s: status %d, want %d: %s", i, what, got, want, body)
				}
			})
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestConcurrentClients runs 100 clients at once against one server, each
// creating, reading, listing, updating and deleting its own project, user
// and robot while changing the shared configuration; run with -race.
func TestConcurrentClients(t *testing.T) {
	srv := harbortest.New(t)
	runClients(t, 100, func(i int, check func(what string, want, got int, body string)) {
		proj := fmt.Sprintf("conc-%03d", i)
		st, _, b := call(t, srv, "POST", "/api/v2.0/projects", "admin", "Harbor12345", `{"project_name":"`+proj+`"}`)
		check("create project", http.StatusCreated, st, b)
		st, _, b = call(t, srv, "PUT", "/api/v2.0/projects/"+proj, "admin", "Harbor12345", `{"metadata":{"auto_scan":"true"}}`)
		check("update project", http.StatusOK, st, b)
		st, _, b = call(t, srv, "GET", "/api/v2.0/projects?q=name%3D~conc&page_size=5", "admin", "Harbor12345", "")
		check("list projects", http.StatusOK, st, b)
		st, _, b = call(t, srv, "POST", "/api/v2.0/users", "admin", "Harbor12345",
			fmt.Sprintf(`{"username":"u%03d","email":"u%03d@example.com","realname":"u","password":"Passw0rd%03d"}`, i, i, i))
		check("create user", http.StatusCreated, st, b)
		st, _, b = call(t, srv, "GET", "/api/v2.0/users/current", fmt.Sprintf("u%03d", i), fmt.Sprintf("Passw0rd%03d", i), "")
		check("current user", http.StatusOK, st, b)
		st, _, b = call(t, srv, "POST", "/api/v2.0/robots", "admin", "Harbor12345",
			fmt.Sprintf(`{"name":"r%03d","level":"project","duration":-1,"permissions":[{"kind":"project","namespace":"%s","access":[{"resource":"repository","action":"pull"}]}]}`, i, proj))
		check("create robot", http.StatusCreated, st, b)
		var rb struct {
			ID int64 `json:"id"`
		}
		_ = json.Unmarshal([]byte(b), &rb)
		st, _, b = call(t, srv, "PUT", "/api/v2.0/configurations", "admin", "Harbor12345", `{"notification_enable":true}`)
		check("configurations", http.StatusOK, st, b)
		st, _, b = call(t, srv, "GET", "/api/v2.0/auditlog-exts?page_size=3", "admin", "Harbor12345", "")
		check("audit log", http.StatusOK, st, b)
		st, _, b = call(t, srv, "GET", "/api/v2.0/search?q=conc", "admin", "Harbor12345", "")
		check("search", http.StatusOK, st, b)
		st, _, b = call(t, srv, "DELETE", fmt.Sprintf("/api/v2.0/robots/%d", rb.ID), "admin", "Harbor12345", "")
		check("delete robot", http.StatusOK, st, b)
		st, _, b = call(t, srv, "DELETE", "/api/v2.0/projects/"+proj, "admin", "Harbor12345", "")
		check("delete project", http.StatusOK, st, b)
	})
	require.Len(t, srv.Projects(), 1)
	require.Empty(t, srv.Robots())
}

// TestConcurrentPreheatAndJobs runs 100 clients at once on the resources of
// preheat.go, jobservice.go, scanall.go and scanexport.go; run with -race.
func TestConcurrentPreheatAndJobs(t *testing.T) {
	srv := harbortest.New(t)
	hs, _ := healthyProvider(t)
	st, _, b := call(t, srv, "POST", "/api/v2.0/p2p/preheat/instances", "admin", srv.AdminPassword,
		`{"name":"df","vendor":"dragonfly","endpoint":"`+hs.URL+`","enabled":true}`)
	require.Equal(t, http.StatusCreated, st, b)
	st, _, b = call(t, srv, "POST", "/api/v2.0/scanners", "admin", srv.AdminPassword, `{"name":"fake","url":"http://scanner.example.com"}`)
	require.Equal(t, http.StatusCreated, st, b) // scan all needs a scanner
	runClients(t, 100, func(i int, check func(what string, want, got int, body string)) {
		pols := "/api/v2.0/projects/library/preheat/policies"
		name := fmt.Sprintf("p%03d", i)
		st, _, b := call(t, srv, "POST", pols, "admin", srv.AdminPassword, `{"name":"`+name+`","provider_id":1,"enabled":true}`)
		check("create policy", http.StatusCreated, st, b)
		st, _, b = call(t, srv, "POST", pols+"/"+name, "admin", srv.AdminPassword, `{}`)
		check("preheat", http.StatusCreated, st, b)
		st, _, b = call(t, srv, "GET", pols+"?page_size=5", "admin", srv.AdminPassword, "")
		check("list policies", http.StatusOK, st, b)
		st, _, b = call(t, srv, "PUT", "/api/v2.0/jobservice/queues/REPLICATION", "admin", srv.AdminPassword, `{"action":"pause"}`)
		check("pause", http.StatusOK, st, b)
		st, _, b = call(t, srv, "GET", "/api/v2.0/scans/all/metrics", "admin", srv.AdminPassword, "")
		check("metrics", http.StatusOK, st, b)
		st, _, b = call(t, srv, "GET", "/api/v2.0/schedules", "admin", srv.AdminPassword, "")
		check("schedules", http.StatusOK, st, b)
		st, _, b = call(t, srv, "DELETE", pols+"/"+name, "admin", srv.AdminPassword, "")
		check("delete policy", http.StatusOK, st, b)
	})
	st, h, b := call(t, srv, "GET", "/api/v2.0/projects/library/preheat/policies", "admin", srv.AdminPassword, "")
	require.Equal(t, http.StatusOK, st, b)
	require.Equal(t, "0", h.Get("X-Total-Count"))
}

// TestResourcesConcurrent has 100 clients create and read labels, members,
// metadata, registries, webhook policies, immutable rules and quotas at
// once; run with -race. Every create must succeed exactly once.
func TestResourcesConcurrent(t *testing.T) {
	srv := harbortest.New(t)
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
