package harbortest_test

import (
	"encoding/json"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

func TestJobServiceAndSchedules(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddUser("dev", "Passw0rd1", false)
	status, _, body := call(t, srv, "GET", "/api/v2.0/jobservice/pools", "admin", srv.AdminPassword, "")
	require.Equal(t, 200, status, body)
	var pools []struct {
		ID          string `json:"worker_pool_id"`
		Concurrency int    `json:"concurrency"`
		PID         int    `json:"pid"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &pools))
	require.Len(t, pools, 1)
	require.Equal(t, 10, pools[0].Concurrency)
	require.Len(t, pools[0].ID, 24)

	const q = "/api/v2.0/jobservice/queues"
	runMoreSteps(t, srv, []moreStep{
		{name: "workers of the pool", method: "GET", path: "/api/v2.0/jobservice/pools/" + pools[0].ID + "/workers",
			user: "admin", wantStatus: 200, wantBody: []string{`"pool_id":"` + pools[0].ID + `"`}},
		{name: "workers of all pools", method: "GET", path: "/api/v2.0/jobservice/pools/all/workers",
			user: "admin", wantStatus: 200, wantBody: []string{`"pool_id":"` + pools[0].ID + `"`}},
		{name: "workers by pid: none (b415)", method: "GET", path: "/api/v2.0/jobservice/pools/1234/workers",
			user: "admin", wantStatus: 200, wantBody: []string{"[]"}},
		{name: "not admin", method: "GET", path: "/api/v2.0/jobservice/pools", user: "dev", wantStatus: 403},
		{name: "anonymous", method: "GET", path: q, wantStatus: 401},
		{name: "queues", method: "GET", path: q, user: "admin", wantStatus: 200,
			wantBody: []string{`{"job_type":"GARBAGE_COLLECTION","paused":false}`, `"job_type":"WEBHOOK"`}},
		{name: "pause", method: "PUT", path: q + "/GARBAGE_COLLECTION", user: "admin", body: `{"action":"pause"}`,
			wantStatus: 200, wantHeader: map[string]string{"Content-Type": ""}},
		{name: "paused", method: "GET", path: q, user: "admin", wantStatus: 200,
			wantBody: []string{`{"job_type":"GARBAGE_COLLECTION","paused":true}`, `{"job_type":"SCHEDULER","paused":false}`}},
		{name: "bad action", method: "PUT", path: q + "/GARBAGE_COLLECTION", user: "admin", body: `{"action":"explode"}`,
			wantStatus: 422, wantBody: []string{`validation failure list:\nvalidation failure list:\naction in body should be one of [stop pause resume]`}},
		{name: "unknown type accepted", method: "PUT", path: q + "/NO_SUCH_JOB", user: "admin", body: `{"action":"pause"}`,
			wantStatus: 200},
		{name: "scheduler running", method: "GET", path: "/api/v2.0/schedules/all/paused", user: "admin",
			wantStatus: 200, wantBody: []string{`{"paused":false}`}},
		{name: "pause all", method: "PUT", path: q + "/all", user: "admin", body: `{"action":"pause"}`, wantStatus: 200},
		{name: "scheduler paused", method: "GET", path: "/api/v2.0/schedules/all/paused", user: "admin",
			wantStatus: 200, wantBody: []string{`{"paused":true}`}},
		{name: "resume, any case", method: "PUT", path: q + "/scheduler", user: "admin", body: `{"action":"resume"}`, wantStatus: 200},
		{name: "scheduler resumed", method: "GET", path: "/api/v2.0/schedules/all/paused", user: "admin",
			wantStatus: 200, wantBody: []string{`{"paused":false}`}},
		{name: "anonymous paused", method: "GET", path: "/api/v2.0/schedules/all/paused", wantStatus: 401},
		{name: "any user sees paused", method: "GET", path: "/api/v2.0/schedules/ALL/paused", user: "dev",
			wantStatus: 200, wantBody: []string{`{"paused":false}`}},
		{name: "paused of a job type", method: "GET", path: "/api/v2.0/schedules/GC/paused", user: "admin",
			wantStatus: 400, wantBody: []string{`"job_type can only be 'all'"`}},
		{name: "stop a job", method: "PUT", path: "/api/v2.0/jobservice/jobs/abc", user: "admin", wantStatus: 200},
		{name: "stop as non-admin", method: "PUT", path: "/api/v2.0/jobservice/jobs/abc", user: "dev", wantStatus: 403},
		{name: "log of an unknown job", method: "GET", path: "/api/v2.0/jobservice/jobs/abc/log", user: "admin",
			wantStatus: 500},
		{name: "no schedules", method: "GET", path: "/api/v2.0/schedules", user: "admin", wantStatus: 200,
			wantBody: []string{"[]"}, wantHeader: map[string]string{"X-Total-Count": "0"}},
	})
}

func TestJobServiceRobotPermission(t *testing.T) {
	srv := harbortest.New(t)
	body := `{"name":"mon","level":"system","duration":30,"permissions":[{"kind":"system","namespace":"/","access":[` +
		`{"resource":"jobservice-monitor","action":"list"}]}]}`
	_, secret := createRobot(t, srv, body)
	status, _, _ := call(t, srv, "GET", "/api/v2.0/jobservice/queues", "robot$mon", secret, "")
	require.Equal(t, 200, status, "list permission lists the queues")
	status, _, out := call(t, srv, "PUT", "/api/v2.0/jobservice/queues/all", "robot$mon", secret, `{"action":"pause"}`)
	require.Equal(t, 403, status, out)
	require.Contains(t, out, `"robot$mon"`)
}
