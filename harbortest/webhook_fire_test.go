package harbortest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

// fakeClock is a settable clock for WithClock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// hookTarget is a receiver that reports each request on arrived and, from
// the attempt block on, waits for release before answering status.
type hookTarget struct {
	status  int
	block   int
	arrived chan *http.Request
	release chan struct{}
	mu      sync.Mutex
	n       int
	bodies  []string
}

func newHookTarget(t *testing.T, status, block int) (*hookTarget, string) {
	ht := &hookTarget{status: status, block: block, arrived: make(chan *http.Request, 100), release: make(chan struct{})}
	srv := httptest.NewServer(ht)
	t.Cleanup(func() { close(ht.release); srv.Close() })
	return ht, srv.URL
}

func (ht *hookTarget) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	ht.mu.Lock()
	ht.n++
	n := ht.n
	ht.bodies = append(ht.bodies, string(b))
	ht.mu.Unlock()
	ht.arrived <- r
	if ht.block > 0 && n >= ht.block {
		select {
		case <-ht.release:
		case <-r.Context().Done():
			return
		}
	}
	w.WriteHeader(ht.status)
	fmt.Fprintf(w, `{"error":"forced %d by receiver"}`, ht.status)
}

func waitArrival(t *testing.T, ht *hookTarget) *http.Request {
	t.Helper()
	select {
	case r := <-ht.arrived:
		return r
	case <-time.After(time.Minute): // hang guard
		t.Fatal("no delivery arrived")
		return nil
	}
}

func addPolicy(t *testing.T, srv *harbortest.Server, project, name, events, target string) {
	t.Helper()
	st, _, body := call(t, srv, "POST", "/api/v2.0/projects/"+project+"/webhook/policies", "admin", srv.AdminPassword,
		`{"name":"`+name+`","enabled":true,"event_types":[`+events+`],"targets":[`+target+`]}`)
	require.Equal(t, http.StatusCreated, st, body)
}

// hookServer is harbortest with project whk1, a receiver answering 200 and
// policy 1 for events delivering to target (a JSON target, %s for the
// receiver's URL).
func hookServer(t *testing.T, events, target string, opts ...harbortest.Option) (*harbortest.Server, *hookTarget) {
	t.Helper()
	srv := harbortest.New(t, opts...)
	srv.AddProject("whk1", false)
	ht, url := newHookTarget(t, http.StatusOK, 0)
	addPolicy(t, srv, "whk1", "p", events, fmt.Sprintf(target, url))
	return srv, ht
}

func getJSON(t *testing.T, srv *harbortest.Server, path string) []map[string]any {
	t.Helper()
	st, _, body := call(t, srv, "GET", "/api/v2.0/projects/whk1/webhook"+path, "admin", srv.AdminPassword, "")
	require.Equal(t, http.StatusOK, st, body)
	var out []map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &out), body)
	return out
}

// A failing target gets 3 attempts with the same bytes; between them the
// task is Error with run_count 1, 2, then 3, and the execution lags one
// attempt behind: Running, then Error with the end of the previous attempt
// (captures w219-w227).
func TestWebhookRetriesShowInExecutionsAndTasks(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 12, 7, 11, 40, 15, 0, time.UTC)}
	srv := harbortest.New(t, harbortest.WithClock(clock.Now))
	srv.AddProject("whk1", false)
	ht, url := newHookTarget(t, http.StatusInternalServerError, 2)
	addPolicy(t, srv, "whk1", "whk1-fail500", `"PUSH_ARTIFACT"`,
		`{"type":"http","address":"`+url+`/fail500","auth_header":"Bearer whk-secret-123","payload_format":"Default"}`)
	srv.AddImage("whk1", "app", "1.2")

	r := waitArrival(t, ht) // attempt 1 answered at once; attempt 2 is held
	require.Equal(t, "Bearer whk-secret-123", r.Header.Get("Authorization"))
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	waitArrival(t, ht)
	ex := getJSON(t, srv, "/policies/1/executions")
	require.Len(t, ex, 1)
	id := fmt.Sprint(ex[0]["id"])
	tasks := getJSON(t, srv, "/policies/1/executions/"+id+"/tasks")
	require.Equal(t, "Error", tasks[0]["status"])
	require.EqualValues(t, 1, tasks[0]["run_count"])
	require.Equal(t, "Running", ex[0]["status"])
	require.Equal(t, "0001-01-01T00:00:00Z", ex[0]["end_time"])
	require.Equal(t, map[string]any{"error_task_count": 1.0, "task_count": 1.0}, ex[0]["metrics"])
	require.Equal(t, "EVENT", ex[0]["trigger"])
	require.Equal(t, "WEBHOOK", ex[0]["vendor_type"])
	require.Equal(t, map[string]any{"event_type": "PUSH_ARTIFACT", "payload": ht.bodies[0]}, ex[0]["extra_attrs"])

	// Deleting the policy is refused while an execution is not final (b307).
	st, _, body := call(t, srv, "DELETE", "/api/v2.0/projects/whk1/webhook/policies/1", "admin", srv.AdminPassword, "")
	require.Equal(t, http.StatusPreconditionFailed, st)
	require.Contains(t, body, "contains executions that aren't in final status")

	clock.Add(34 * time.Second)
	ht.release <- struct{}{} // attempt 2 fails; attempt 3 arrives and is held
	waitArrival(t, ht)
	tasks = getJSON(t, srv, "/policies/1/executions/"+id+"/tasks")
	require.Equal(t, "Error", tasks[0]["status"])
	require.EqualValues(t, 2, tasks[0]["run_count"])
	require.Equal(t, "2026-12-07T11:40:15Z", tasks[0]["creation_time"])
	require.Equal(t, "2026-12-07T11:40:49Z", tasks[0]["end_time"])
	ex = getJSON(t, srv, "/policies/1/executions?q=id%3D"+id)
	require.Equal(t, "Error", ex[0]["status"])
	require.Equal(t, "2026-12-07T11:40:15Z", ex[0]["end_time"])

	clock.Add(116 * time.Second)
	ht.release <- struct{}{}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
	tasks = getJSON(t, srv, "/policies/1/executions/"+id+"/tasks")
	require.EqualValues(t, 3, tasks[0]["run_count"])
	require.Equal(t, "2026-12-07T11:42:45Z", tasks[0]["end_time"])
	ex = getJSON(t, srv, "/policies/1/executions")
	require.Equal(t, "Error", ex[0]["status"])
	require.Equal(t, "2026-12-07T11:40:49Z", ex[0]["end_time"])
	require.Len(t, ht.bodies, 3)
	require.Equal(t, ht.bodies[0], ht.bodies[1])
	require.Equal(t, ht.bodies[0], ht.bodies[2])

	st, _, log := call(t, srv, "GET", "/api/v2.0/projects/whk1/webhook/policies/1/executions/"+id+"/tasks/"+fmt.Sprint(tasks[0]["id"])+"/log",
		"admin", srv.AdminPassword, "")
	require.Equal(t, http.StatusOK, st)
	require.Equal(t, "2026-12-07T11:42:45Z [INFO] [/harbor/src/jobservice/job/impl/notification/webhook_job.go:73]: start to run webhook job\n"+
		"2026-12-07T11:42:45Z [INFO] [/harbor/src/jobservice/job/impl/notification/webhook_job.go:118]: send request to remote endpoint, body: "+ht.bodies[0]+"\n"+
		"2026-12-07T11:42:45Z [ERROR] [/harbor/src/jobservice/job/impl/notification/webhook_job.go:76]: exit webhook job, error: abnormal response code: 500, body: {\"error\":\"forced 500 by receiver\"}\n", log)
	require.NotContains(t, log, "whk-secret")

	last := getJSON(t, srv, "/lasttrigger")
	require.Equal(t, "2026-12-07T11:40:15.000Z", last[0]["last_trigger_time"])
	jobs := getJSON(t, srv, "/jobs?policy_id=1")
	require.Equal(t, ht.bodies[0], jobs[0]["job_detail"])
	require.Equal(t, "http", jobs[0]["notify_type"])

	st, _, body = call(t, srv, "DELETE", "/api/v2.0/projects/whk1/webhook/policies/1", "admin", srv.AdminPassword, "")
	require.Equal(t, http.StatusOK, st, body)
}

// Only enabled policies of the event's project that list its type fire;
// a successful delivery is one attempt, shown as Success.
func TestWebhookFiresOnlyMatchingPolicies(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("whk1", false)
	srv.AddProject("other", false)
	ht, url := newHookTarget(t, http.StatusOK, 0)
	target := func(path string) string {
		return `{"type":"http","address":"` + url + path + `","payload_format":"CloudEvents"}`
	}
	addPolicy(t, srv, "whk1", "pushes", `"PUSH_ARTIFACT"`, target("/push"))
	addPolicy(t, srv, "whk1", "deletes", `"DELETE_ARTIFACT"`, target("/delete"))
	addPolicy(t, srv, "other", "other", `"PUSH_ARTIFACT"`, target("/other"))
	st, _, body := call(t, srv, "POST", "/api/v2.0/projects/whk1/webhook/policies", "admin", srv.AdminPassword,
		`{"name":"disabled","enabled":false,"event_types":["PUSH_ARTIFACT"],"targets":[`+target("/disabled")+`]}`)
	require.Equal(t, http.StatusCreated, st, body)

	srv.AddImage("whk1", "app", "1.0", "latest") // one push per tag
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
	var paths []string
	for range 2 {
		r := waitArrival(t, ht)
		paths = append(paths, r.URL.Path)
		require.Equal(t, "application/cloudevents+json", r.Header.Get("Content-Type"))
		require.Empty(t, r.Header.Get("Authorization"))
	}
	require.Equal(t, []string{"/push", "/push"}, paths)
	require.Len(t, ht.arrived, 0)
	require.Contains(t, ht.bodies[0]+ht.bodies[1], `"resource_url":"`+strings.TrimPrefix(srv.URL, "http://")+`/whk1/app:latest"`)

	ex := getJSON(t, srv, "/policies/1/executions")
	require.Len(t, ex, 2)
	require.Equal(t, "Success", ex[0]["status"])
	require.Equal(t, map[string]any{"success_task_count": 1.0, "task_count": 1.0}, ex[0]["metrics"])
	tasks := getJSON(t, srv, "/policies/1/executions/"+fmt.Sprint(ex[0]["id"])+"/tasks")
	require.Equal(t, "Success", tasks[0]["status"])
	require.EqualValues(t, 1, tasks[0]["run_count"])
	require.Empty(t, getJSON(t, srv, "/policies/2/executions"))
}

// With a fake clock a scan ends when the clock says so; WaitWebhooks
// announces it.
func TestWebhookScanEndsByTheServersClock(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 12, 7, 11, 37, 6, 0, time.UTC)}
	srv, ht := hookServer(t, `"SCANNING_COMPLETED"`, `{"type":"http","address":"%s","payload_format":"Default"}`, harbortest.WithClock(clock.Now))
	srv.AddImage("whk1", "app", "1.0")
	srv.PlanScan("whk1", "app", "1.0", harbortest.SampleVulnerabilities(), 3*time.Second)
	st, _, body := call(t, srv, "POST", "/api/v2.0/projects/whk1/repositories/app/artifacts/1.0/scan", "admin", srv.AdminPassword, "")
	require.Equal(t, http.StatusAccepted, st, body)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
	require.Len(t, ht.arrived, 0, "announced before the scan ended")
	clock.Add(3 * time.Second)
	require.NoError(t, srv.WaitWebhooks(ctx))
	waitArrival(t, ht)
	require.Contains(t, ht.bodies[0], `"scan_status":"Success","severity":"Critical","duration":3,"summary":{"total":`)
	require.Contains(t, ht.bodies[0], `"start_time":"2026-12-07T11:37:06Z","end_time":"2026-12-07T11:37:09Z"`)
}

// Close ends deliveries in flight; WaitWebhooks gives up when its context does.
func TestWebhookCloseAndWaitCancel(t *testing.T) {
	srv := harbortest.NewServer()
	srv.AddProject("whk1", false)
	ht, url := newHookTarget(t, http.StatusOK, 1)
	addPolicy(t, srv, "whk1", "p", `"PUSH_ARTIFACT"`, `{"type":"http","address":"`+url+`","payload_format":"Default"}`)
	srv.AddImage("whk1", "app", "1.0")
	waitArrival(t, ht)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, srv.WaitWebhooks(ctx), context.Canceled)
	srv.Close()
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute) // hang guard
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
}

// A slack target gets Harbor's Slack message, no Authorization, and its
// execution, log and job say SLACK (w186, w190).
func TestWebhookSlackTarget(t *testing.T) {
	srv, ht := hookServer(t, `"PUSH_ARTIFACT"`, `{"type":"slack","address":"%s/slack","auth_header":"Bearer x"}`)
	srv.AddImage("whk1", "app", "1.0")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
	r := waitArrival(t, ht)
	require.Empty(t, r.Header.Get("Authorization"))
	require.Contains(t, ht.bodies[0], "\"text\": \"*event_type:* PUSH_ARTIFACT\"")
	require.False(t, json.Valid([]byte(ht.bodies[0])), "Harbor's Slack body is not valid JSON")
	ex := getJSON(t, srv, "/policies/1/executions")
	require.Equal(t, "SLACK", ex[0]["vendor_type"])
	tasks := getJSON(t, srv, fmt.Sprintf("/policies/1/executions/%v/tasks", ex[0]["id"]))
	st, _, log := call(t, srv, "GET", fmt.Sprintf("/api/v2.0/projects/whk1/webhook/policies/1/executions/%v/tasks/%v/log", ex[0]["id"], tasks[0]["id"]),
		"admin", srv.AdminPassword, "")
	require.Equal(t, http.StatusOK, st, log)
	require.Contains(t, log, "[INFO] [/harbor/src/jobservice/job/impl/notification/slack_job.go:95]: start to run slack job\n")
	require.Contains(t, log, "slack_job.go:101]: success to run slack job\n")
	require.Equal(t, "slack", getJSON(t, srv, "/jobs?policy_id=1")[0]["notify_type"])
}

// Pushes from many goroutines at once each fire one delivery and one
// execution.
func TestWebhookConcurrentPushes(t *testing.T) {
	srv, ht := hookServer(t, `"PUSH_ARTIFACT"`, `{"type":"http","address":"%s","payload_format":"Default"}`)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			srv.AddImage("whk1", fmt.Sprintf("app%d", i), "1.0")
		}()
	}
	wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
	require.Len(t, ht.arrived, 20)
	st, hdr, _ := call(t, srv, "GET", "/api/v2.0/projects/whk1/webhook/policies/1/executions", "admin", srv.AdminPassword, "")
	require.Equal(t, http.StatusOK, st)
	require.Equal(t, "20", hdr.Get("X-Total-Count"))
}

// Copying an artifact is a push into the destination; deleting a
// repository announces the deletion of each of its artifacts.
func TestWebhookCopyAndRepositoryDeletion(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("whk1", false)
	srv.AddProject("whk2", false)
	ht, url := newHookTarget(t, http.StatusOK, 0)
	addPolicy(t, srv, "whk2", "p", `"PUSH_ARTIFACT","DELETE_ARTIFACT"`, `{"type":"http","address":"`+url+`","payload_format":"Default"}`)
	srv.AddImage("whk1", "app", "1.0")
	srv.AddImage("whk2", "old", "1.0", "2.0")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
	for range 2 { // the pushes of old:1.0 and old:2.0
		waitArrival(t, ht)
	}
	st, _, body := call(t, srv, "POST", "/api/v2.0/projects/whk2/repositories/app/artifacts?from=whk1/app:1.0", "admin", srv.AdminPassword, "")
	require.Equal(t, http.StatusCreated, st, body)
	require.NoError(t, srv.WaitWebhooks(ctx)) // deliveries are asynchronous: one at a time here
	st, _, body = call(t, srv, "DELETE", "/api/v2.0/projects/whk2/repositories/old", "admin", srv.AdminPassword, "")
	require.Equal(t, http.StatusOK, st, body)
	require.NoError(t, srv.WaitWebhooks(ctx))
	require.Len(t, ht.bodies, 4)
	require.Contains(t, ht.bodies[2], `{"type":"PUSH_ARTIFACT",`)
	require.Contains(t, ht.bodies[2], `/whk2/app:1.0"}]`)
	require.Contains(t, ht.bodies[3], `{"type":"DELETE_ARTIFACT",`)
	require.Contains(t, ht.bodies[3], `"tag":"1.0","resource_url":"`)
}

// TLS is verified unless the target says skip_cert_verify, as in Harbor.
func TestWebhookTLSVerification(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("whk1", false)
	tlsTarget := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer tlsTarget.Close()
	addPolicy(t, srv, "whk1", "verify", `"PUSH_ARTIFACT"`, `{"type":"http","address":"`+tlsTarget.URL+`/v","payload_format":"Default"}`)
	addPolicy(t, srv, "whk1", "skip", `"PUSH_ARTIFACT"`, `{"type":"http","address":"`+tlsTarget.URL+`/s","skip_cert_verify":true,"payload_format":"Default"}`)
	srv.AddImage("whk1", "app", "1.0")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
	for policy, want := range map[string]string{"1": "Error", "2": "Success"} {
		ex := getJSON(t, srv, "/policies/"+policy+"/executions")
		tasks := getJSON(t, srv, fmt.Sprintf("/policies/%s/executions/%v/tasks", policy, ex[0]["id"]))
		require.Equal(t, want, tasks[0]["status"], "policy %s", policy)
		if want == "Error" {
			_, _, log := call(t, srv, "GET", fmt.Sprintf("/api/v2.0/projects/whk1/webhook/policies/1/executions/%v/tasks/%v/log", ex[0]["id"], tasks[0]["id"]),
				"admin", srv.AdminPassword, "")
			require.Contains(t, log, "certificate")
			require.EqualValues(t, 3, tasks[0]["run_count"])
		}
	}
}

// Pull sets the pull times a registry GET sets and fires PULL_ARTIFACT;
// it panics for an artifact that does not exist.
func TestPullSetsPullTimeAndFires(t *testing.T) {
	srv, ht := hookServer(t, `"PULL_ARTIFACT"`, `{"type":"http","address":"%s","payload_format":"Default"}`, harbortest.WithClock(func() time.Time { return time.Date(2026, 12, 7, 11, 37, 5, 0, time.UTC) }))
	srv.AddImage("whk1", "app", "1.0")
	srv.Pull("whk1", "app", "1.0")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
	waitArrival(t, ht)
	require.Contains(t, ht.bodies[0], `{"type":"PULL_ARTIFACT","occur_at":1796643425,"operator":"admin"`)
	st, _, body := call(t, srv, "GET", "/api/v2.0/projects/whk1/repositories/app/artifacts/1.0?with_tag=true", "admin", srv.AdminPassword, "")
	require.Equal(t, http.StatusOK, st)
	require.Equal(t, 2, strings.Count(body, `"pull_time":"2026-12-07T11:37:05.000Z"`), body) // artifact and tag
	assertPanicsNaming(t, func() { srv.Pull("whk1", "app", "9.9") }, "9.9")
}

// Scanning an index announces each child, without a tag, and not the index
// (w055: w060, w063).
func TestWebhookIndexScanAnnouncesChildren(t *testing.T) {
	srv, ht := hookServer(t, `"SCANNING_COMPLETED"`, `{"type":"http","address":"%s","payload_format":"Default"}`)
	amd, arm := digestN(1), digestN(2)
	srv.AddArtifact("whk1", "multi", amd)
	srv.AddArtifact("whk1", "multi", arm)
	require.NoError(t, srv.AddArtifactJSON("whk1", "multi", []byte(`{"digest":"`+digestN(3)+`","type":"IMAGE","tags":[{"name":"1.0"}],
		"references":[{"child_digest":"`+amd+`","platform":{"architecture":"amd64","os":"linux"}},{"child_digest":"`+arm+`","platform":{"architecture":"arm64","os":"linux"}}]}`)))
	srv.PlanScan("whk1", "multi", "1.0", nil, 0)
	st, _, body := call(t, srv, "POST", "/api/v2.0/projects/whk1/repositories/multi/artifacts/1.0/scan", "admin", srv.AdminPassword, "")
	require.Equal(t, http.StatusAccepted, st, body)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
	require.Len(t, ht.bodies, 2)
	all := ht.bodies[0] + ht.bodies[1]
	for _, d := range []string{amd, arm} {
		require.Contains(t, all, `{"resources":[{"digest":"`+d+`","resource_url":"`+strings.TrimPrefix(srv.URL, "http://")+`/whk1/multi@`+d+`","scan_overview":`)
	}
	require.NotContains(t, all, digestN(3))
}

// A target that cuts the connection without answering is a failed attempt;
// the next attempt sends the same bytes.
func TestWebhookCutConnectionIsRetried(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("whk1", false)
	var mu sync.Mutex
	var bodies []string
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		first := len(bodies) == 1
		mu.Unlock()
		if first {
			conn, _, err := w.(http.Hijacker).Hijack()
			require.NoError(t, err)
			conn.Close()
		}
	}))
	defer target.Close()
	addPolicy(t, srv, "whk1", "p", `"PUSH_ARTIFACT"`, `{"type":"http","address":"`+target.URL+`","payload_format":"Default"}`)
	srv.AddImage("whk1", "app", "1.0")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
	ex := getJSON(t, srv, "/policies/1/executions")
	tasks := getJSON(t, srv, fmt.Sprintf("/policies/1/executions/%v/tasks", ex[0]["id"]))
	require.Equal(t, "Success", tasks[0]["status"])
	require.EqualValues(t, 2, tasks[0]["run_count"])
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, bodies, 2)
	require.Equal(t, bodies[0], bodies[1])
}

// An SBOM scan ends with SCANNING_COMPLETED of scan_type sbom, carrying the
// artifact's sbom_overview and no scan_overview.
func TestWebhookSBOMScan(t *testing.T) {
	srv, ht := hookServer(t, `"SCANNING_COMPLETED"`, `{"type":"http","address":"%s","payload_format":"Default"}`)
	srv.AddImage("whk1", "app", "1.0")
	srv.SetScanner(harbortest.DefaultScanner)
	st, _, body := call(t, srv, "POST", "/api/v2.0/projects/whk1/repositories/app/artifacts/1.0/scan", "admin", srv.AdminPassword, `{"scan_type":"sbom"}`)
	require.Equal(t, http.StatusAccepted, st, body)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
	waitArrival(t, ht)
	var got struct {
		EventData struct {
			Resources []map[string]any `json:"resources"`
			Scan      map[string]any   `json:"scan"`
		} `json:"event_data"`
	}
	require.NoError(t, json.Unmarshal([]byte(ht.bodies[0]), &got), ht.bodies[0])
	require.Equal(t, map[string]any{"scan_type": "sbom"}, got.EventData.Scan)
	res := got.EventData.Resources[0]
	require.NotContains(t, res, "scan_overview")
	overview := res["sbom_overview"].(map[string]any)
	require.Equal(t, "Success", overview["scan_status"])
	require.Contains(t, overview["sbom_digest"], "sha256:")
}

func TestWebhookPolicies(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("capart1", false)
	srv.AddProject("capart2", false)
	_, secret := projectRobot(t, srv, "puller", "capart1", "pull")
	const base = "/api/v2.0/projects/capart1/webhook"
	hook := func(name, events, target string) string {
		return `{"name":"` + name + `","description":"rig webhook","enabled":true,"event_types":[` + events + `],"targets":[` + target + `]}`
	}
	httpTarget := `{"type":"http","address":"http://127.0.0.1:15998/harbor-hook","auth_header":"Bearer hooksecret","skip_cert_verify":true,"payload_format":"Default"}`
	runSteps(t, srv, []apiStep{
		{name: "b283", method: "GET", path: base + "/events", user: "admin", status: ok,
			want: []string{`"notify_type":["http","slack"]`, `"TAG_RETENTION"`}},
		{name: "b284", method: "GET", path: base + "/policies", user: "admin", status: ok, want: []string{"[]"}},
		{name: "b285", method: "POST", path: base + "/policies", user: "admin", body: hook("cap-hook", `"PUSH_ARTIFACT","DELETE_ARTIFACT"`, httpTarget),
			status: created, header: map[string]string{"Location": base + "/policies/1"}},
		{name: "b286", method: "POST", path: base + "/policies", user: "admin", body: hook("cap-hook-ce", `"PULL_ARTIFACT"`, httpTarget), status: created},
		{name: "b287", method: "POST", path: base + "/policies", user: "admin", body: hook("cap-hook", `"PUSH_ARTIFACT"`, httpTarget), status: 409,
			want: []string{errBody("CONFLICT", "notification policy named cap-hook already exists")}},
		{name: "b288", method: "POST", path: base + "/policies", user: "admin", body: hook("cap-hook-nt", `"PUSH_ARTIFACT"`, ""), status: 400,
			want: []string{errBody("BAD_REQUEST", "empty notification target with policy cap-hook-nt")}},
		{name: "b289", method: "POST", path: base + "/policies", user: "admin", body: hook("x", `"NO_SUCH_EVENT"`, httpTarget), status: 400,
			want: []string{errBody("BAD_REQUEST", "unsupported event type NO_SUCH_EVENT")}},
		{name: "b290", method: "POST", path: base + "/policies", user: "admin", body: hook("x", `"PUSH_ARTIFACT"`, `{"type":"http","address":"ftp://x"}`), status: 400,
			want: []string{errBody("BAD_REQUEST", "invalid scheme: ftp")}},
		{name: "b291", method: "POST", path: base + "/policies", user: "admin",
			body: hook("x", `"PUSH_ARTIFACT"`, `{"type":"slack","address":"http://h/slack","payload_format":"CloudEvents"}`), status: 400,
			want: []string{errBody("BAD_REQUEST", "set payload format is not allowed for slack")}},
		{name: "b292 newest first", method: "GET", path: base + "/policies?page=1&page_size=10", user: "admin", status: ok,
			want:   []string{`[{"creation_time":`, `"id":2,"name":"cap-hook-ce","project_id":`, `"targets":[{"address":"http://127.0.0.1:15998/harbor-hook","auth_header":"Bearer hooksecret","payload_format":"Default","skip_cert_verify":true,"type":"http"}]`},
			header: map[string]string{"X-Total-Count": "2"}},
		{name: "b293", method: "GET", path: base + "/policies?q=name%3D~ce", user: "admin", status: ok, header: map[string]string{"X-Total-Count": "1"}},
		{name: "b295", method: "GET", path: base + "/policies/999999", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "notificationPolicy 999999 not found")}},
		{name: "b296", method: "GET", path: "/api/v2.0/projects/capart2/webhook/policies/1", user: "admin", status: 404,
			want: []string{"webhook policy id: 1 not found"}},
		{name: "b297", method: "PUT", path: base + "/policies/1", user: "admin", body: hook("cap-hook", `"PUSH_ARTIFACT"`, httpTarget), status: ok},
		{name: "b299 none fired", method: "GET", path: base + "/lasttrigger", user: "admin", status: ok,
			want: []string{`"enabled":true,"event_type":"PUSH_ARTIFACT","last_trigger_time":"0001-01-01T00:00:00.000Z","policy_name":"cap-hook"`}},
		{name: "b300 no deliveries", method: "GET", path: base + "/policies/1/executions", user: "admin", status: ok,
			want: []string{"[]"}, header: map[string]string{"X-Total-Count": "0"}},
		{name: "b305", method: "GET", path: base + "/jobs", user: "admin", status: 422,
			want: []string{errBody("UNPROCESSABLE_ENTITY", `validation failure list:\npolicy_id in query is required`)}},
		{name: "b304", method: "GET", path: base + "/jobs?policy_id=1", user: "admin", status: ok, want: []string{"[]"}},
		{name: "b306", method: "GET", path: base + "/policies", user: "robot$capart1+puller", password: secret, status: 403},
		{name: "b360", method: "DELETE", path: base + "/policies/2", user: "admin", status: ok},
		{name: "b361", method: "DELETE", path: base + "/policies/2", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "notificationPolicy 2 not found")}},
	})
}
