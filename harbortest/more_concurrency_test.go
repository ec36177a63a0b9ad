package harbortest_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

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
	const clients = 100
	var wg sync.WaitGroup
	errs := make(chan string, clients*8)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			check := func(what string, want, got int, body string) {
				if want != got {
					errs <- fmt.Sprintf("client %d: %s: status %d, want %d: %s", i, what, got, want, body)
				}
			}
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
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	st, h, b := call(t, srv, "GET", "/api/v2.0/projects/library/preheat/policies", "admin", srv.AdminPassword, "")
	require.Equal(t, http.StatusOK, st, b)
	require.Equal(t, "0", h.Get("X-Total-Count"))
}
