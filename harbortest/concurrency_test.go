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

// TestConcurrentClients runs 100 clients at once against one server, each
// creating, reading, listing, updating and deleting its own project, user
// and robot while changing the shared configuration; run with -race.
func TestConcurrentClients(t *testing.T) {
	srv := harbortest.New(t)
	const clients = 100
	var wg sync.WaitGroup
	errs := make(chan string, clients*16)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			check := func(what string, want, got int, body string) {
				if want != got {
					errs <- fmt.Sprintf("client %d: %s: status %d, want %d: %s", i, what, got, want, body)
				}
			}
			proj := fmt.Sprintf("conc-%03d", i)
			st, _, b := call(t, srv, "POST", "/api/v2.0/projects", "admin", "Harbor12345", `{"project_name":"`+proj+`"}`)
			check("create project", http.StatusCreated, st, b)
			st, _, b = call(t, srv, "PUT", "/api/v2.0/projects/"+proj, "admin", "Harbor12345", `{"metadata":{"auto_scan":"true"}}`)
			check("update project", http.StatusOK, st, b)
			st, _, b = call(t, srv, "GET", "/api/v2.0/projects?q=name%3D~conc&page_size=5", "admin", "Harbor12345", "")
			check("list projects", http.StatusOK, st, b)
			st, _, b = call(t, srv, "POST", "/api/v2.0/users", "admin", "Harbor12345",
				fmt.Sprintf(`{"username":"u%03d","email":"u%03d@example.com","password":"Passw0rd%03d"}`, i, i, i))
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
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	require.Len(t, srv.Projects(), 1)
	require.Empty(t, srv.Robots())
}
