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

func TestGCAndPurge(t *testing.T) {
	srv := harbortest.NewServer(fixedClock())
	defer srv.Close()
	srv.AddProject("capart1", false)
	_, secret := projectRobot(t, srv, "puller", "capart1", "pull")
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

func TestLDAPInDBAuthMode(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddUser("dev", "Passw0rd1", false)
	runMoreSteps(t, srv, []moreStep{
		{name: "no body", method: "POST", path: "/api/v2.0/ldap/ping", user: "admin", wantStatus: 500,
			wantHeader: map[string]string{"Content-Length": "0", "Content-Type": ""}},
		{name: "nothing to fall back on", method: "POST", path: "/api/v2.0/ldap/ping", user: "admin", body: `{}`,
			wantStatus: 200, wantBody: []string{`{"message":"error: empty password"}`}},
		{name: "no LDAP server", method: "POST", path: "/api/v2.0/ldap/ping", user: "admin",
			body:       `{"ldap_url":"ldap://127.0.0.1:1","ldap_search_password":"x"}`,
			wantStatus: 200, wantBody: []string{`{"message":"error: ldap server network timeout"}`}, notBody: []string{"success"}},
		{name: "anonymous", method: "POST", path: "/api/v2.0/ldap/ping", body: `{}`, wantStatus: 401},
		{name: "not admin", method: "POST", path: "/api/v2.0/ldap/ping", user: "dev", body: `{}`, wantStatus: 403},
		{name: "user search", method: "GET", path: "/api/v2.0/ldap/users/search?username=a", user: "admin", wantStatus: 500},
		{name: "group search", method: "GET", path: "/api/v2.0/ldap/groups/search?groupname=a", user: "admin", wantStatus: 500},
		{name: "group search not admin", method: "GET", path: "/api/v2.0/ldap/groups/search", user: "dev", wantStatus: 403},
		{name: "import", method: "POST", path: "/api/v2.0/ldap/users/import", user: "admin",
			body: `{"ldap_uid_list":["a"]}`, wantStatus: 500},
		{name: "import without body", method: "POST", path: "/api/v2.0/ldap/users/import", user: "admin",
			wantStatus: 422, wantBody: []string{"uidList in body is required"}},
	})
}

func TestOIDCPing(t *testing.T) {
	srv := harbortest.New(t)
	hs, checks := healthyProvider(t)
	runMoreSteps(t, srv, []moreStep{
		{name: "reachable", method: "POST", path: "/api/v2.0/system/oidc/ping", user: "admin",
			body: `{"url":"` + hs.URL + `","verify_cert":false}`, wantStatus: 200},
		{name: "issuer differs", method: "POST", path: "/api/v2.0/system/oidc/ping", user: "admin",
			body: `{"url":"` + hs.URL + `/","verify_cert":false}`, wantStatus: 400},
		{name: "unreachable", method: "POST", path: "/api/v2.0/system/oidc/ping", user: "admin",
			body: `{"url":"` + deadEndpoint(t) + `"}`, wantStatus: 400, wantBody: []string{`"failed to verify connection"`}},
		{name: "no url", method: "POST", path: "/api/v2.0/system/oidc/ping", user: "admin", body: `{}`, wantStatus: 400},
		{name: "anonymous", method: "POST", path: "/api/v2.0/system/oidc/ping", body: `{}`, wantStatus: 401},
	})
	require.Equal(t, int64(2), checks.Load())
}

func TestIcons(t *testing.T) {
	srv := harbortest.New(t)
	const image = "sha256:0048162a053eef4d4ce3fe7518615bef084403614f8bca43b40ae2e762e11e06"
	status, _, body := call(t, srv, "GET", "/api/v2.0/icons/"+image, "", "", "")
	require.Equal(t, 200, status, body)
	var icon struct {
		Content     []byte `json:"content"` // base64 in JSON
		ContentType string `json:"content-type"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &icon))
	require.Equal(t, "image/png", icon.ContentType)
	require.Equal(t, "\x89PNG\r\n\x1a\n", string(icon.Content[:8]))
	runMoreSteps(t, srv, []moreStep{
		{name: "other digest", method: "GET", path: "/api/v2.0/icons/" + digestN(3), wantStatus: 404,
			wantBody: []string{"the icon " + digestN(3) + " not found"}},
	})
}

func TestInternalConfig(t *testing.T) {
	srv := harbortest.New(t, harbortest.WithRobotNamePrefix("bot-"))
	get := func(auth string) (int, string) {
		status, _, body := call(t, srv, "GET", "/api/v2.0/internalconfig", "", "", "", "Authorization", auth)
		return status, body
	}
	status, body := get("")
	require.Equal(t, 401, status)
	require.Contains(t, body, `"only internal service is allowed to call this API"`)
	status, _, body = call(t, srv, "GET", "/api/v2.0/internalconfig", "admin", srv.AdminPassword, "")
	require.Equal(t, 401, status, "not even the administrator: %s", body)
	status, _ = get("Harbor-Secret wrong")
	require.Equal(t, 401, status)
	status, body = get("Harbor-Secret " + srv.InternalSecret())
	require.Equal(t, 200, status, body)
	require.Contains(t, body, `"value":"db_auth"`)
	require.Contains(t, body, `"robot_name_prefix":{"editable":true,"value":"bot-"}`)
	status, _, body = call(t, srv, "PUT", "/api/v2.0/configurations", "admin", srv.AdminPassword, `{"robot_name_prefix":"r2-"}`)
	require.Equal(t, 200, status, body)
	_, body = get("Harbor-Secret " + srv.InternalSecret())
	require.Contains(t, body, `"robot_name_prefix":{"editable":true,"value":"r2-"}`)
}
