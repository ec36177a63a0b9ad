package harbortest_test

import (
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// TestListSchedulesAllVendors: GET /schedules lists the GC, purge audit and
// retention schedules beside scan all's, as Harbor's schedule table does
// (b425), and forgets them when they are removed.
func TestListSchedulesAllVendors(t *testing.T) {
	srv := harbortest.New(t)
	const scheds = "/api/v2.0/schedules"
	retention := `{"algorithm":"or","rules":[],"trigger":{"kind":"Schedule","settings":{"cron":"0 0 5 * * *"}},"scope":{"level":"project","ref":1}}`
	runMoreSteps(t, srv, []moreStep{
		{name: "none", method: "GET", path: scheds, user: "admin", wantStatus: 200, wantBody: []string{"[]"},
			wantHeader: map[string]string{"X-Total-Count": "0"}},
		{name: "retention", method: "POST", path: "/api/v2.0/retentions", user: "admin", body: retention, wantStatus: 201},
		{name: "gc", method: "POST", path: "/api/v2.0/system/gc/schedule", user: "admin",
			body: `{"schedule":{"type":"Custom","cron":"0 0 1 * * *"},"parameters":{"delete_untagged":true}}`, wantStatus: 201},
		{name: "purge", method: "POST", path: "/api/v2.0/system/purgeaudit/schedule", user: "admin",
			body: `{"schedule":{"type":"Weekly","cron":"0 0 2 * * 0"},"parameters":{"audit_retention_hour":168,"include_event_types":"create_artifact"}}`, wantStatus: 201},
		{name: "listed", method: "GET", path: scheds, user: "admin", wantStatus: 200,
			wantHeader: map[string]string{"X-Total-Count": "3"},
			wantBody: []string{
				`{"cron":"0 0 5 * * *","id":1,"update_time":`, `"vendor_id":1,"vendor_type":"RETENTION"}`,
				`{"cron":"0 0 1 * * *","id":2,"update_time":`, `"vendor_id":-1,"vendor_type":"GARBAGE_COLLECTION"}`,
				`{"cron":"0 0 2 * * 0","id":3,"update_time":`, `"vendor_id":-1,"vendor_type":"PURGE_AUDIT_LOG"}`,
			}},
		{name: "retention cron changed", method: "PUT", path: "/api/v2.0/retentions/1", user: "admin",
			body:       `{"algorithm":"or","rules":[],"trigger":{"kind":"Schedule","settings":{"cron":"0 0 6 * * *"}},"scope":{"level":"project","ref":1}}`,
			wantStatus: 200},
		{name: "gc none", method: "PUT", path: "/api/v2.0/system/gc/schedule", user: "admin", body: `{"schedule":{"type":"None"}}`, wantStatus: 200},
		{name: "after changes", method: "GET", path: scheds, user: "admin", wantStatus: 200,
			wantHeader: map[string]string{"X-Total-Count": "2"},
			wantBody:   []string{`{"cron":"0 0 6 * * *","id":4,`, `"vendor_id":1,"vendor_type":"RETENTION"}`, `"PURGE_AUDIT_LOG"`},
			notBody:    []string{"GARBAGE_COLLECTION", `"id":1,`}},
		{name: "retention deleted", method: "DELETE", path: "/api/v2.0/retentions/1", user: "admin", wantStatus: 200},
		{name: "purge only", method: "GET", path: scheds, user: "admin", wantStatus: 200,
			wantHeader: map[string]string{"X-Total-Count": "1"}, notBody: []string{"RETENTION"}},
	})
}
