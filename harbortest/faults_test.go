package harbortest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLatency(t *testing.T) {
	t.Parallel()
	srv := harbortest.New(t)
	srv.SetLatency(50 * time.Millisecond)
	start := time.Now()
	st, _, _ := call(t, srv, "GET", "/api/v2.0/ping", "", "", "")
	assert.Equal(t, 200, st)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)

	srv.SetLatency(time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/v2.0/ping", nil)
	_, err := http.DefaultClient.Do(req)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	srv.SetLatency(0)
}

func TestFailNext(t *testing.T) {
	t.Parallel()
	srv := harbortest.New(t)
	srv.FailNext(2, http.StatusServiceUnavailable, harbortest.OnMethod("GET"), harbortest.OnPath("/api/v2.0/projects"), harbortest.WithRetryAfter("1"))
	st, _, _ := call(t, srv, "GET", "/api/v2.0/ping", "", "", "")
	assert.Equal(t, 200, st, "other paths are not affected")
	for i := 0; i < 2; i++ {
		st, h, body := call(t, srv, "GET", "/api/v2.0/projects", "admin", "Harbor12345", "")
		assert.Equal(t, 503, st)
		assert.Equal(t, "1", h.Get("Retry-After"))
		assert.Equal(t, `{"errors":[{"code":"SERVICE_UNAVAILABLE","message":"service unavailable"}]}`+"\n", body)
	}
	st, _, _ = call(t, srv, "GET", "/api/v2.0/projects", "admin", "Harbor12345", "")
	assert.Equal(t, 200, st)
}

func TestCutNext(t *testing.T) {
	t.Parallel()
	srv := harbortest.New(t)
	srv.CutNext(1, harbortest.OnPath("/api/v2.0/projects"))
	req, _ := http.NewRequest("GET", srv.URL+"/api/v2.0/projects", nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

	// AfterApply: the robot exists although the client saw a broken answer
	srv.CutNext(1, harbortest.OnMethod("POST"), harbortest.OnPath("/api/v2.0/robots"), harbortest.AfterApply())
	req, _ = http.NewRequest("POST", srv.URL+"/api/v2.0/robots", stringsReader(sysRobot))
	req.SetBasicAuth("admin", "Harbor12345")
	resp, err = http.DefaultClient.Do(req)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	assert.Error(t, err)
	require.Len(t, srv.Robots(), 1)
	assert.Equal(t, "robot$ci", srv.Robots()[0].Name)
}

func TestRequestLogAndConnections(t *testing.T) {
	t.Parallel()
	srv := harbortest.New(t)
	client := &http.Client{Transport: &http.Transport{}}
	for i := 0; i < 3; i++ {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v2.0/projects?page=1", nil)
		req.SetBasicAuth("admin", "Harbor12345")
		resp, err := client.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	assert.Equal(t, 1, srv.ConnectionsAccepted(), "keep-alive reuses one connection")
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "GET", reqs[0].Method)
	assert.Equal(t, "/api/v2.0/projects", reqs[0].Path)
	assert.Equal(t, "page=1", reqs[0].RawQuery)
	assert.Equal(t, "REDACTED", reqs[0].Header.Get("Authorization"))
	srv.ResetRequests()
	assert.Empty(t, srv.Requests())
}

// WithRequestLogLimit(n) keeps the last n requests, oldest first; 0 keeps
// none (what cmd/harbortest runs with).
func TestRequestLogLimit(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 2, 5} {
		srv := harbortest.New(t, harbortest.WithRequestLogLimit(n))
		for page := 1; page <= 4; page++ {
			req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v2.0/projects?page=%d", srv.URL, page), nil)
			req.SetBasicAuth("admin", "Harbor12345")
			resp, err := srv.HTTPClient().Do(req)
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		pages := []string{}
		for _, r := range srv.Requests() {
			pages = append(pages, r.RawQuery)
		}
		want := []string{"page=1", "page=2", "page=3", "page=4"}
		assert.Equal(t, want[len(want)-min(n, 4):], pages, "limit %d", n)
	}
}

func TestParallelServers(t *testing.T) {
	t.Parallel()
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			srv := harbortest.New(t)
			var inner sync.WaitGroup
			for j := 0; j < 10; j++ {
				inner.Add(1)
				go func() {
					defer inner.Done()
					req, _ := http.NewRequest("POST", srv.URL+"/api/v2.0/projects", stringsReader(`{"project_name":"p`+string(rune('a'+j))+`"}`))
					req.SetBasicAuth("admin", "Harbor12345")
					resp, err := http.DefaultClient.Do(req)
					if assert.NoError(t, err) {
						resp.Body.Close()
						assert.Equal(t, http.StatusCreated, resp.StatusCode)
					}
				}()
			}
			inner.Wait()
			assert.Len(t, srv.Projects(), 11)
		}()
	}
	wg.Wait()
}
