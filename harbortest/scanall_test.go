package harbortest_test

import (
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func TestScanAll(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddUser("dev", "Passw0rd1", false)
	for i := 1; i <= 3; i++ {
		srv.AddArtifact("library", "app", digestN(i))
	}
	const sched = "/api/v2.0/system/scanAll/schedule"
	const metrics = "/api/v2.0/scans/all/metrics"
	runMoreSteps(t, srv, []moreStep{
		// Harbor refuses scan all with 412 until a scanner is registered (b335, b336).
		{name: "no scanner", method: "GET", path: sched, user: "admin", wantStatus: 412,
			wantBody: []string{`"no scanner is configured, it's not possible to scan"`}},
		{name: "no scanner metrics", method: "GET", path: metrics, user: "admin", wantStatus: 412},
		{name: "no scanner run", method: "POST", path: sched, user: "admin", body: `{"schedule":{"type":"Manual"}}`, wantStatus: 412},
		{name: "register scanner", method: "POST", path: "/api/v2.0/scanners", user: "admin",
			body: `{"name":"fake","url":"http://scanner.example.com"}`, wantStatus: 201},
		{name: "no schedule", method: "GET", path: sched, user: "admin", wantStatus: 200,
			wantHeader: map[string]string{"Content-Type": "application/json", "Content-Length": "0"}},
		{name: "no run", method: "GET", path: metrics, user: "admin", wantStatus: 200,
			wantBody: []string{`{"completed":0,"ongoing":false,"total":0}`}},
		{name: "nothing to stop", method: "POST", path: "/api/v2.0/system/scanAll/stop", user: "admin", wantStatus: 400,
			wantBody: []string{`"no scan all job is found currently"`}},
		{name: "bad type", method: "POST", path: sched, user: "admin", body: `{"schedule":{"type":"Sometimes"}}`,
			wantStatus: 422, wantBody: []string{`schedule.type in body should be one of [Hourly Daily Weekly Custom Manual None Schedule]`}},
		{name: "none creates nothing", method: "POST", path: sched, user: "admin", body: `{"schedule":{"type":"None"}}`,
			wantStatus: 201},
		{name: "not admin", method: "GET", path: metrics, user: "dev", wantStatus: 403},
		{name: "run now", method: "POST", path: sched, user: "admin", body: `{"schedule":{"type":"Manual"}}`, wantStatus: 201},
		{name: "running", method: "GET", path: metrics, user: "admin", wantStatus: 200,
			wantBody: []string{`"Pending":2`, `"Running":1`, `"ongoing":true`, `"total":3`, `"trigger":"Manual"`}},
		{name: "run while running", method: "POST", path: sched, user: "admin", body: `{"schedule":{"type":"Manual"}}`,
			wantStatus: 409, wantBody: []string{"a previous scan all job aleady exits, its status is Running"}},
		{name: "done", method: "GET", path: metrics, user: "admin", wantStatus: 200,
			wantBody: []string{`"completed":3`, `"Success":3`, `"ongoing":false`}},
		{name: "bad cron", method: "PUT", path: sched, user: "admin", body: `{"schedule":{"type":"Custom","cron":"whenever"}}`,
			wantStatus: 400, wantBody: []string{"invalid cron string for scheduled scan all: whenever, error: expected exactly 6 fields, found 1: [whenever]"}},
		{name: "daily", method: "PUT", path: sched, user: "admin", body: `{"schedule":{"type":"Daily","cron":"0 0 0 * * *"}}`,
			wantStatus: 200},
		{name: "schedule", method: "GET", path: sched, user: "admin", wantStatus: 200,
			wantBody: []string{`"cron":"0 0 0 * * *"`, `"type":"Daily"`, `"status":"Running"`, `"next_scheduled_time":"0001-01-01T00:00:00.000Z"`}},
		{name: "listed", method: "GET", path: "/api/v2.0/schedules", user: "admin", wantStatus: 200,
			wantBody: []string{`"vendor_type":"SCAN_ALL"`, `"cron":"0 0 0 * * *"`}, notBody: []string{"vendor_id"}},
		{name: "create when one exists", method: "POST", path: sched, user: "admin",
			body: `{"schedule":{"type":"Hourly","cron":"0 0 * * * *"}}`, wantStatus: 412,
			wantBody: []string{"fail to set schedule for scan all as always had one"}},
		{name: "update to manual", method: "PUT", path: sched, user: "admin", body: `{"schedule":{"type":"Manual"}}`,
			wantStatus: 400, wantBody: []string{"wrong schedule type: Manual"}},
		{name: "scheduled metrics", method: "GET", path: "/api/v2.0/scans/schedule/metrics", user: "admin", wantStatus: 200,
			wantBody: []string{`{"completed":0,"ongoing":false,"total":0}`}},
		{name: "none", method: "PUT", path: sched, user: "admin", body: `{"schedule":{"type":"None"}}`, wantStatus: 200},
		{name: "gone", method: "GET", path: sched, user: "admin", wantStatus: 200,
			wantHeader: map[string]string{"Content-Length": "0"}},
		{name: "run again", method: "POST", path: sched, user: "admin", body: `{"schedule":{"type":"Manual"}}`, wantStatus: 201},
		{name: "stop", method: "POST", path: "/api/v2.0/system/scanAll/stop", user: "admin", wantStatus: 202},
		{name: "stopped", method: "GET", path: metrics, user: "admin", wantStatus: 200,
			wantBody: []string{`"Stopped":3`, `"ongoing":false`}},
		{name: "stop when idle", method: "POST", path: "/api/v2.0/system/scanAll/stop", user: "admin", wantStatus: 202},
	})
}
