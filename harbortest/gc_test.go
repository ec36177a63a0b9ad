package harbortest_test

import (
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func TestGCAndPurge(t *testing.T) {
	srv := harbortest.NewServer(fixedClock())
	defer srv.Close()
	srv.AddProject("capart1", false)
	_, secret := createRobot(t, srv, `{"name":"puller","level":"project","duration":-1,"permissions":[{"kind":"project","namespace":"capart1","access":[{"resource":"repository","action":"pull"}]}]}`)
	runSteps(t, srv, []apiStep{
		{name: "b386 no schedule: empty body", method: "GET", path: "/api/v2.0/system/gc/schedule", user: "admin", status: ok,
			header: map[string]string{"Content-Type": "application/json", "Content-Length": "0"}},
		{name: "b387", method: "POST", path: "/api/v2.0/system/gc/schedule", user: "admin",
			body: `{"schedule":{"type":"Manual"},"parameters":{"delete_untagged":true,"dry_run":true,"workers":1}}`, status: created,
			header: map[string]string{"Location": "/api/v2.0/system/gc/1"}},
		{name: "b388 again while running", method: "POST", path: "/api/v2.0/system/gc/schedule", user: "admin",
			body: `{"schedule":{"type":"Manual"},"parameters":{"delete_untagged":true,"dry_run":true,"workers":1}}`, status: created},
		{name: "b389", method: "GET", path: "/api/v2.0/system/gc?page=1&page_size=5", user: "admin", status: ok,
			want:   []string{`"id":2,"job_kind":"MANUAL","job_name":"GARBAGE_COLLECTION","job_parameters":"{\"delete_tag\":false,\"delete_untagged\":true,\"dry_run\":true,\"freed_space\":0,\"purged_blobs\":0,\"purged_manifests\":0,\"time_window\":2,\"workers\":1}","job_status":"Success","schedule":{"next_scheduled_time":"0001-01-01T00:00:00.000Z","type":"Manual"}`},
			header: map[string]string{"X-Total-Count": "2"}},
		{name: "b390", method: "GET", path: "/api/v2.0/system/gc/1", user: "admin", status: ok, want: []string{`"id":1`}},
		{name: "b391", method: "GET", path: "/api/v2.0/system/gc/1/log", user: "admin", status: ok,
			header: map[string]string{"Content-Type": "text/plain"}},
		{name: "b392", method: "PUT", path: "/api/v2.0/system/gc/1", user: "admin", status: ok},
		{name: "b393", method: "GET", path: "/api/v2.0/system/gc/999999", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "garbage collection execution 999999 not found")}},
		{name: "b394", method: "GET", path: "/api/v2.0/system/gc/999999/log", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "garbage collection 999999 log is not found")}},
		{name: "b395", method: "PUT", path: "/api/v2.0/system/gc/schedule", user: "admin",
			body: `{"schedule":{"type":"Custom","cron":"0 0 3 * * *"},"parameters":{"delete_untagged":false,"workers":2}}`, status: ok},
		{name: "b396", method: "GET", path: "/api/v2.0/system/gc/schedule", user: "admin", status: ok,
			want: []string{`"job_kind":"0 0 3 * * *","job_parameters":"{\"delete_tag\":false,\"delete_untagged\":false,\"workers\":2}","job_status":"Running","schedule":{"cron":"0 0 3 * * *","next_scheduled_time":"2026-12-01T03:00:00.000Z","type":"Custom"}`}},
		{name: "b397", method: "PUT", path: "/api/v2.0/system/gc/schedule", user: "admin", body: `{"schedule":{"type":"Custom","cron":"every night"}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "invalid cron string for scheduled gc: every night, error: expected exactly 6 fields, found 2: [every night]")}},
		{name: "b398", method: "PUT", path: "/api/v2.0/system/gc/schedule", user: "admin", body: `{"schedule":{"type":"Sometimes"}}`, status: 422,
			want: []string{`schedule.type in body should be one of [Hourly Daily Weekly Custom Manual None Schedule]`}},
		{name: "b399", method: "POST", path: "/api/v2.0/system/gc/schedule", user: "admin", body: `{"schedule":{"type":"Daily"},"parameters":{}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "invalid cron string for scheduled gc: , error: empty cron string is invalid")}},
		{name: "POST of a schedule: Location .../0", method: "POST", path: "/api/v2.0/system/gc/schedule", user: "admin",
			body: `{"schedule":{"type":"Weekly","cron":"0 0 0 * * 6"}}`, status: created,
			header: map[string]string{"Location": "/api/v2.0/system/gc/0"}},
		{name: "b400", method: "PUT", path: "/api/v2.0/system/gc/schedule", user: "admin", body: `{"schedule":{"type":"None"}}`, status: ok},
		{name: "b401", method: "GET", path: "/api/v2.0/system/gc/schedule", user: "admin", status: ok, header: map[string]string{"Content-Length": "0"}},
		{name: "b402", method: "GET", path: "/api/v2.0/system/gc", user: "robot$capart1+puller", password: secret, status: 403,
			want: []string{errBody("FORBIDDEN", "robot$capart1+puller")}},

		{name: "b409", method: "POST", path: "/api/v2.0/system/purgeaudit/schedule", user: "admin",
			body: `{"schedule":{"type":"Manual"},"parameters":{"dry_run":true}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "bad request: audit_retention_hour should provide")}},
		{name: "b404 shares the execution ids", method: "POST", path: "/api/v2.0/system/purgeaudit/schedule", user: "admin",
			body:   `{"schedule":{"type":"Manual"},"parameters":{"audit_retention_hour":168,"include_event_types":"create_artifact","dry_run":true}}`,
			status: created, header: map[string]string{"Location": "/api/v2.0/system/purgeaudit/3"}},
		{name: "b405", method: "GET", path: "/api/v2.0/system/purgeaudit", user: "admin", status: ok,
			want: []string{`"job_name":"PURGE_AUDIT_LOG","job_parameters":"{\"audit_retention_hour\":168,\"dry_run\":true,\"include_event_types\":\"create_artifact\"}"`}},
		{name: "b408 unknown is an empty 500", method: "GET", path: "/api/v2.0/system/purgeaudit/999999", user: "admin", status: 500,
			header: map[string]string{"Content-Length": "0"}},
		{name: "b410", method: "PUT", path: "/api/v2.0/system/purgeaudit/schedule", user: "admin",
			body: `{"schedule":{"type":"Custom","cron":"0 0 2 * * 0"},"parameters":{"audit_retention_hour":720,"include_event_types":"create_artifact,delete_artifact","dry_run":false}}`, status: ok},
		{name: "b411", method: "GET", path: "/api/v2.0/system/purgeaudit/schedule", user: "admin", status: ok,
			want: []string{`"next_scheduled_time":"2026-12-06T02:00:00.000Z"`}},
		{name: "b412 None needs parameters", method: "PUT", path: "/api/v2.0/system/purgeaudit/schedule", user: "admin", body: `{"schedule":{"type":"None"}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "bad request: schedule parameter cann't be empty")}},
		{name: "b473", method: "PUT", path: "/api/v2.0/system/purgeaudit/schedule", user: "admin",
			body: `{"schedule":{"type":"None"},"parameters":{"audit_retention_hour":720,"dry_run":true}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "bad request: include_event_types should provide")}},
		{name: "b476", method: "PUT", path: "/api/v2.0/system/purgeaudit/schedule", user: "admin",
			body: `{"schedule":{"type":"None"},"parameters":{"audit_retention_hour":720,"include_event_types":"create_artifact","dry_run":true}}`, status: ok},
		{name: "b477", method: "GET", path: "/api/v2.0/system/purgeaudit/schedule", user: "admin", status: ok, header: map[string]string{"Content-Length": "0"}},
	})
}
