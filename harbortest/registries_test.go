package harbortest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

func TestRegistriesAndReplication(t *testing.T) {
	srv := harbortest.New(t)
	srv.MarkRegistryUnreachable("http://127.0.0.1:15999")
	srv.AddProject("capart1", false)
	_, secret := projectRobot(t, srv, "nopull", "capart1", "list")
	const reg = "/api/v2.0/registries"
	runSteps(t, srv, []apiStep{
		{name: "b117", method: "GET", path: "/api/v2.0/replication/adapters", user: "admin", status: ok,
			want: []string{`"docker-registry","github-ghcr","google-gcr","harbor"`}},
		{name: "b118", method: "GET", path: "/api/v2.0/replication/adapterinfos", user: "admin", status: ok,
			want: []string{`"ali-acr":{"endpoint_pattern"`}},
		{name: "b119", method: "GET", path: reg, user: "admin", status: ok, want: []string{"[]"}, header: map[string]string{"X-Total-Count": "0"}},
		{name: "b120 unreachable", method: "POST", path: reg, user: "admin",
			body: `{"name":"cap-dummy","type":"docker-registry","url":"http://127.0.0.1:15999"}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "the registry is unhealthy")}},
		{name: "b121", method: "POST", path: reg, user: "admin",
			body:   `{"name":"cap-local","type":"docker-registry","url":"http://127.0.0.1:15000","insecure":true,"description":"d","credential":{"type":"basic","access_key":"u","access_secret":"p"}}`,
			status: created, header: map[string]string{"Location": "/api/v2.0/registries/1"}},
		{name: "b124", method: "POST", path: reg, user: "admin", body: `{"name":"x","type":"no-such-type","url":"http://h"}`, status: 500},
		{name: "b125", method: "POST", path: reg, user: "admin", body: `{"name":"x","type":"docker-registry","url":"not a url"}`, status: 400,
			want: []string{`invalid URL: parse \"http://not a url\": invalid character \" \" in host name`}},
		{name: "b126", method: "POST", path: reg, user: "admin", body: `{"name":"x","type":"docker-registry"}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "empty string")}},
		{name: "b127", method: "POST", path: reg, user: "robot$capart1+nopull", password: secret,
			body: `{"name":"x","type":"docker-registry","url":"http://h"}`, status: 403, want: []string{errBody("FORBIDDEN", "robot$capart1+nopull")}},
		{name: "b168 no credential", method: "POST", path: reg, user: "admin",
			body: `{"name":"cap-anon","type":"harbor","url":"http://localhost:8080"}`, status: created},
		{name: "b169", method: "POST", path: reg, user: "admin", body: `{"name":"cap-local","type":"docker-registry","url":"http://h"}`, status: 409,
			want: []string{errBody("CONFLICT", "registry cap-local already exists")}},
		{name: "b128 secret masked", method: "GET", path: reg + "/1", user: "admin", status: ok,
			want: []string{`"credential":{"access_key":"u","access_secret":"*****","type":"basic"}`, `"insecure":true`, `"status":"healthy"`}},
		{name: "b174 empty credential", method: "GET", path: reg + "/2", user: "admin", status: ok,
			want: []string{`"credential":{}`}, wantNot: []string{`"description"`, `"insecure"`}},
		{name: "b171", method: "GET", path: reg + "?q=name%3D~cap-&page=1&page_size=1", user: "admin", status: ok,
			header: map[string]string{"X-Total-Count": "2", "Link": `</api/v2.0/registries?page=2&page_size=1&q=name=~cap->; rel="next"`}},
		{name: "b134", method: "GET", path: reg + "/1/info", user: "admin", status: ok,
			want: []string{`{"supported_resource_filters":[{"style":"input","type":"name","values":null},{"style":"input","type":"tag","values":null},{"style":"radio","type":"resource","values":["image"]}],"supported_triggers":["manual","scheduled"],"type":"docker-registry"}`}},
		{name: "b175", method: "GET", path: reg + "/2/info", user: "admin", status: ok,
			want: []string{`"supported_copy_by_chunk":true`, `{"style":"list","type":"label","values":[]}`}},
		{name: "b137", method: "POST", path: reg + "/ping", user: "admin", body: `{"id":null}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "type or url cannot be empty")}},
		{name: "b138", method: "POST", path: reg + "/ping", user: "admin", body: `{"id":1}`, status: ok},
		{name: "b140", method: "POST", path: reg + "/ping", user: "admin", body: `{"id":999999}`, status: 404},
		{name: "b177", method: "POST", path: reg + "/ping", user: "admin", body: `{"type":"docker-registry","url":"http://127.0.0.1:15999"}`, status: 400},
		{name: "b178 own URL", method: "POST", path: reg + "/ping", user: "admin", body: `{"type":"harbor","url":"` + srv.URL + `"}`, status: 500},
		{name: "b180", method: "PUT", path: reg + "/2", user: "admin", body: `{"url":"http://127.0.0.1:15999"}`, status: 400},
		{name: "b181", method: "PUT", path: reg + "/2", user: "admin", body: `{"name":"cap-local"}`, status: 409},
		{name: "b179", method: "PUT", path: reg + "/2", user: "admin", body: `{"description":"updated"}`, status: ok},
		{name: "b144", method: "PUT", path: reg + "/999999", user: "admin", body: `{}`, status: 404,
			want: []string{errBody("NOT_FOUND", "registry 999999 not found")}},
	})

	const pol = "/api/v2.0/replication/policies"
	const ex = "/api/v2.0/replication/executions"
	runSteps(t, srv, []apiStep{
		{name: "b149", method: "POST", path: pol, user: "admin", body: `{"name":"p","trigger":{"type":"manual"},"enabled":true}`, status: 400,
			want: []string{"either src_registry or dest_registry should be empty and the other one shouldn't be empty"}},
		{name: "b186", method: "POST", path: pol, user: "admin", body: `{"name":"p","src_registry":{"id":1},"dest_registry":{"id":2}}`, status: 400},
		{name: "b188", method: "POST", path: pol, user: "admin", body: `{"name":"p","dest_registry":{"id":999999}}`, status: 404,
			want: []string{errBody("NOT_FOUND", "registry 999999 not found")}},
		{name: "b187", method: "POST", path: pol, user: "admin",
			body: `{"name":"p","dest_registry":{"id":2},"trigger":{"type":"scheduled","trigger_settings":{"cron":"every minute"}}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "invalid cron string for scheduled trigger: every minute")}},
		{name: "b152 disabled pull", method: "POST", path: pol, user: "admin",
			body:   `{"name":"cap-pull","src_registry":{"id":1},"dest_namespace":"capart2","filters":[{"type":"name","value":"capart1/**"}],"trigger":{"type":"scheduled","trigger_settings":{"cron":"0 0 4 * * *"}},"enabled":false}`,
			status: created, header: map[string]string{"Location": "/api/v2.0/replication/policies/1"}},
		{name: "b184", method: "POST", path: pol, user: "admin",
			body:   `{"name":"cap-repl","dest_registry":{"id":2},"dest_namespace":"capart2","dest_namespace_replace_count":1,"filters":[{"type":"name","value":"capart1/multi"}],"trigger":{"type":"manual","trigger_settings":{"cron":""}},"enabled":true,"override":true,"speed":-1}`,
			status: created},
		{name: "b185", method: "POST", path: pol, user: "admin", body: `{"name":"cap-repl","dest_registry":{"id":2}}`, status: 409,
			want: []string{errBody("CONFLICT", "replication policy cap-repl already exists")}},
		{name: "b189 newest first, Harbor's omissions", method: "GET", path: pol + "?name=cap-", user: "admin", status: ok,
			want: []string{`[{"copy_by_chunk":false,`, `"dest_namespace_replace_count":1,`, `"name":"cap-repl","override":true,"single_active_replication":false,"speed":0,`,
				`"src_registry":{"creation_time":"0001-01-01T00:00:00.000Z","credential":{"access_secret":"*****","type":"secret"},"id":0,"insecure":true,"name":"Local"`,
				`"trigger":{"trigger_settings":{},"type":"manual"}`, `"dest_namespace_replace_count":-1,"dest_registry":{"creation_time":"0001-01-01T00:00:00.000Z"`},
			header: map[string]string{"X-Total-Count": "2"}},
		{name: "b156", method: "GET", path: pol + "/999999", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "replication policy 999999 not found")}},
		{name: "b161 disabled", method: "POST", path: ex, user: "admin", body: `{"policy_id":1}`, status: 412,
			want: []string{errBody("PRECONDITION", "the policy 1 is disabled")}},
		{name: "b160", method: "POST", path: ex, user: "admin", body: `{"policy_id":999999}`, status: 404},
		{name: "b195", method: "POST", path: ex, user: "admin", body: `{"policy_id":2}`, status: created,
			header: map[string]string{"Location": "/api/v2.0/replication/executions/1"}},
		{name: "b198 finished at once", method: "GET", path: ex + "/1", user: "admin", status: ok,
			want: []string{`"failed":0,"id":1,"in_progress":0,"policy_id":2,`, `"status":"Succeed","status_text":"","stopped":0,"succeed":1,"total":1,"trigger":"manual"`}},
		{name: "b197", method: "GET", path: ex + "?policy_id=2", user: "admin", status: ok, header: map[string]string{"X-Total-Count": "1"}},
		{name: "b199", method: "GET", path: ex + "/1/tasks", user: "admin", status: ok,
			want: []string{`"dst_resource":"capart2/multi [0 item(s) in total]"`, `"operation":"copy","resource_type":"artifact","src_resource":"capart1/multi [0 item(s) in total]"`}},
		{name: "b201", method: "GET", path: ex + "/1/tasks/999999/log", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "replication task 999999 not found")}},
		{name: "b202", method: "PUT", path: ex + "/1", user: "admin", status: ok, want: []string{"null"}},
		{name: "b165", method: "GET", path: ex + "/999999", user: "admin", status: 404},
		{name: "b205", method: "DELETE", path: reg + "/2", user: "admin", status: 412,
			want: []string{errBody("PRECONDITION", "the registry 2 is referenced by replication policies, cannot delete it")}},
		{name: "b192", method: "PUT", path: pol + "/2", user: "admin", body: `{"name":"cap-repl","description":"updated","dest_registry":{"id":2},"trigger":{"type":"manual"},"enabled":true}`, status: ok},
		{name: "b194 trigger without settings", method: "GET", path: pol + "/2", user: "admin", status: ok,
			want: []string{`"description":"updated"`, `"trigger":{"type":"manual"}`}},
		{name: "b206", method: "DELETE", path: pol + "/2", user: "admin", status: ok},
		{name: "b207", method: "DELETE", path: pol + "/2", user: "admin", status: 404},
		{name: "b208", method: "DELETE", path: reg + "/2", user: "admin", status: ok},
		{name: "b209", method: "DELETE", path: reg + "/2", user: "admin", status: 404, want: []string{errBody("NOT_FOUND", "registry 2 not found")}},
		{name: "robot", method: "GET", path: pol, user: "robot$capart1+nopull", password: secret, status: 403},
	})
}

func TestPreheatInstances(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddUser("dev", "Passw0rd1", false)
	hs, checks := healthyProvider(t)
	dead := deadEndpoint(t)
	const base = "/api/v2.0/p2p/preheat/instances"
	inst := func(name, vendor, endpoint string, extra string) string {
		return `{"name":"` + name + `","vendor":"` + vendor + `","endpoint":"` + endpoint +
			`","auth_mode":"NONE","auth_info":{"token":"s3cret"},"enabled":true` + extra + `}`
	}
	runMoreSteps(t, srv, []moreStep{
		{name: "providers", method: "GET", path: "/api/v2.0/p2p/preheat/providers", user: "admin",
			wantStatus: 200, wantBody: []string{`"id":"dragonfly"`, `"id":"kraken"`}},
		{name: "empty list", method: "GET", path: base, user: "admin", wantStatus: 200,
			wantBody: []string{"[]"}, wantHeader: map[string]string{"X-Total-Count": "0"}},
		{name: "anonymous", method: "GET", path: base, wantStatus: 401},
		{name: "no permission", method: "GET", path: base, user: "dev", wantStatus: 403,
			wantBody: []string{`"message":"dev"`}},
		{name: "create", method: "POST", path: base, user: "admin", body: inst("df", "dragonfly", hs.URL, ""),
			wantStatus: 201, wantHeader: map[string]string{"Location": base + "/df", "Content-Type": ""}},
		{name: "same name, other endpoint (set4)", method: "POST", path: base, user: "admin", body: inst("df", "dragonfly", dead, ""),
			wantStatus: 409, wantBody: []string{"instance df already exists"}},
		{name: "same endpoint", method: "POST", path: base, user: "admin", body: inst("df2", "kraken", hs.URL, ""),
			wantStatus: 500},
		{name: "bad name", method: "POST", path: base, user: "admin", body: inst("-x", "kraken", dead, ""),
			wantStatus: 500},
		{name: "unknown vendor is stored", method: "POST", path: base, user: "admin", body: inst("odd", "nosuch", dead, ""),
			wantStatus: 201},
		{name: "get hides auth_info", method: "GET", path: base + "/df", user: "admin", wantStatus: 200,
			wantBody: []string{`"id":1`, `"status":"Unknown"`, `"default":false`}, notBody: []string{"s3cret", "auth_info"}},
		{name: "get missing", method: "GET", path: base + "/nope", user: "admin", wantStatus: 404,
			wantBody: []string{`"instance nope not found"`}},
		{name: "update without id", method: "PUT", path: base + "/df", user: "admin",
			body: inst("df", "dragonfly", hs.URL, `,"description":"x"`), wantStatus: 404,
			wantBody: []string{`"instance 0 not found"`}},
		{name: "update by body id", method: "PUT", path: base + "/anything", user: "admin",
			body: inst("df", "dragonfly", hs.URL, `,"id":1,"description":"updated","setup_timestamp":42`), wantStatus: 200},
		{name: "vendor cannot change", method: "PUT", path: base + "/df", user: "admin",
			body: inst("df", "kraken", hs.URL, `,"id":1`), wantStatus: 500},
		{name: "updated row listed last", method: "GET", path: base + "?page_size=1&page=2", user: "admin", wantStatus: 200,
			wantBody:   []string{`"description":"updated"`, `"setup_timestamp":42`},
			wantHeader: map[string]string{"X-Total-Count": "2", "Link": `</api/v2.0/p2p/preheat/instances?page=1&page_size=1>; rel="prev"`}},
		{name: "ping healthy", method: "POST", path: base + "/ping", user: "admin",
			body: `{"name":"probe","vendor":"dragonfly","endpoint":"` + hs.URL + `"}`, wantStatus: 200},
		{name: "ping without a name", method: "POST", path: base + "/ping", user: "admin",
			body: `{"vendor":"dragonfly","endpoint":"` + hs.URL + `"}`, wantStatus: 500},
		{name: "ping stored by id", method: "POST", path: base + "/ping", user: "admin", body: `{"id":1}`, wantStatus: 200},
		{name: "ping unknown id", method: "POST", path: base + "/ping", user: "admin", body: `{"id":99}`, wantStatus: 404,
			wantHeader: map[string]string{"Content-Length": "0"}},
		{name: "ping no endpoint", method: "POST", path: base + "/ping", user: "admin", body: `{"vendor":"dragonfly"}`,
			wantStatus: 400, wantHeader: map[string]string{"Content-Length": "0"}},
		{name: "ping unreachable", method: "POST", path: base + "/ping", user: "admin",
			body: `{"name":"k","vendor":"kraken","endpoint":"` + dead + `"}`, wantStatus: 500},
		{name: "project providers", method: "GET", path: "/api/v2.0/projects/library/preheat/providers", user: "admin",
			wantStatus: 200, wantBody: []string{`"provider":"dragonfly df-` + hs.URL + `"`, `"provider":"nosuch odd-` + dead + `"`}},
		{name: "delete", method: "DELETE", path: base + "/odd", user: "admin", wantStatus: 200},
		{name: "delete again", method: "DELETE", path: base + "/odd", user: "admin", wantStatus: 404,
			wantBody: []string{`"instance odd not found"`}},
	})
	require.Equal(t, int64(2), checks.Load(), "two pings reached the provider")
}

func TestPreheatPolicies(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("p2p", false)
	srv.AddUser("maint", "Passw0rd1", false)
	srv.AddProjectMember("p2p", "maint", 4)
	srv.AddUser("dev", "Passw0rd1", false)
	srv.AddProjectMember("p2p", "dev", 2)
	srv.AddArtifact("p2p", "app", digestN(1))
	srv.AddArtifact("p2p", "app", digestN(2))
	hs, _ := healthyProvider(t)
	dead := deadEndpoint(t)
	const inst = "/api/v2.0/p2p/preheat/instances"
	const pols = "/api/v2.0/projects/p2p/preheat/policies"
	runMoreSteps(t, srv, []moreStep{
		{name: "healthy instance", method: "POST", path: inst, user: "admin",
			body: `{"name":"df","vendor":"dragonfly","endpoint":"` + hs.URL + `","enabled":true}`, wantStatus: 201},
		{name: "dead instance", method: "POST", path: inst, user: "admin",
			body: `{"name":"kr","vendor":"kraken","endpoint":"` + dead + `","enabled":true}`, wantStatus: 201},
		{name: "create", method: "POST", path: pols, user: "admin",
			body:       `{"name":"nightly","provider_id":1,"enabled":true,"filters":"[]","trigger":"{\"type\":\"manual\"}"}`,
			wantStatus: 201, wantHeader: map[string]string{"Location": pols + "/nightly"}},
		{name: "duplicate", method: "POST", path: pols, user: "admin",
			body: `{"name":"nightly","provider_id":1,"enabled":true}`, wantStatus: 409,
			wantBody: []string{`"policy nightly already exists"`}},
		{name: "unknown provider", method: "POST", path: pols, user: "admin",
			body: `{"name":"other","provider_id":9}`, wantStatus: 404, wantBody: []string{`"instance 9 not found"`}},
		{name: "bad cron", method: "POST", path: pols, user: "admin",
			body:       `{"name":"cron","provider_id":1,"trigger":"{\"type\":\"scheduled\",\"trigger_setting\":{\"cron\":\"daily\"}}"}`,
			wantStatus: 400, wantBody: []string{"invalid cron string for scheduled preheat: daily"}},
		{name: "filters not JSON", method: "POST", path: pols, user: "admin",
			body: `{"name":"bad","provider_id":1,"filters":"{"}`, wantStatus: 500},
		{name: "disabled on dead provider", method: "POST", path: pols, user: "admin",
			body: `{"name":"off","provider_id":2,"enabled":false}`, wantStatus: 201},
		{name: "on dead provider", method: "POST", path: pols, user: "admin",
			body: `{"name":"dead","provider_id":2,"enabled":true}`, wantStatus: 201},
		{name: "maintainer cannot create", method: "POST", path: pols, user: "maint",
			body: `{"name":"m","provider_id":1}`, wantStatus: 403},
		{name: "developer cannot list", method: "GET", path: pols, user: "dev", wantStatus: 403},
		{name: "maintainer lists", method: "GET", path: pols + "?sort=name", user: "maint", wantStatus: 200,
			wantBody: []string{`"provider_name":"df"`, `"name":"dead"`}, wantHeader: map[string]string{"X-Total-Count": "3"}},
		{name: "q filters", method: "GET", path: pols + "?q=name%3D~nig", user: "admin", wantStatus: 200,
			wantHeader: map[string]string{"X-Total-Count": "1"}},
		{name: "get", method: "GET", path: pols + "/nightly", user: "admin", wantStatus: 200,
			wantBody: []string{`"project_id":`, `"enabled":true`, `"provider_name":"df"`}},
		{name: "get missing", method: "GET", path: pols + "/nope", user: "admin", wantStatus: 404,
			wantBody: []string{`"policy nope not found"`}},
		{name: "preheat", method: "POST", path: pols + "/nightly", user: "maint", body: `{}`, wantStatus: 201,
			wantHeader: map[string]string{"Location": "/projects/p2p/preheat/policies/nightly/executions/1"}},
		{name: "preheat disabled policy", method: "POST", path: pols + "/off", user: "admin", body: `{}`, wantStatus: 500},
		{name: "preheat unhealthy provider", method: "POST", path: pols + "/dead", user: "admin", body: `{}`, wantStatus: 500},
		{name: "executions", method: "GET", path: pols + "/nightly/executions", user: "admin", wantStatus: 200,
			wantBody:   []string{`"vendor_type":"P2P_PREHEAT"`, `"status":"Success"`, `"trigger":"manual"`, `"task_count":2`, `"success_task_count":2`},
			wantHeader: map[string]string{"X-Total-Count": "1"}},
		{name: "execution", method: "GET", path: pols + "/nightly/executions/1", user: "admin", wantStatus: 200,
			wantBody: []string{`"total":2`, `"trigger_setting":"-"`}},
		{name: "execution of another policy", method: "GET", path: pols + "/dead/executions/1", user: "admin",
			wantStatus: 404, wantBody: []string{"execution id 1 not found"}},
		{name: "execution missing", method: "GET", path: pols + "/nightly/executions/7", user: "admin",
			wantStatus: 404, wantBody: []string{`"execution 7 not found"`}},
		{name: "tasks", method: "GET", path: pols + "/nightly/executions/1/tasks?page_size=1", user: "admin", wantStatus: 200,
			wantBody:   []string{`"execution_id":1`, `"artifact":"p2p/app"`, `"kind":"image"`},
			wantHeader: map[string]string{"X-Total-Count": "2"}},
		{name: "log", method: "GET", path: pols + "/nightly/executions/1/tasks/1/logs", user: "admin", wantStatus: 200,
			wantBody: []string{"p2p/app@" + digestN(1)}, wantHeader: map[string]string{"Content-Type": "text/plain"}},
		{name: "log missing", method: "GET", path: pols + "/nightly/executions/1/tasks/9/logs", user: "admin",
			wantStatus: 404, wantBody: []string{`"task 9 not found"`}},
		{name: "second run", method: "POST", path: pols + "/nightly", user: "admin", body: `{}`, wantStatus: 201},
		{name: "log of another run's task", method: "GET", path: pols + "/nightly/executions/2/tasks/1/logs", user: "admin",
			wantStatus: 404, wantBody: []string{"task id 1 not found"}, notBody: []string{`"task 1 not found"`}},
		{name: "stop", method: "PATCH", path: pols + "/nightly/executions/1", user: "admin", body: `{"status":"Stopped"}`,
			wantStatus: 200},
		{name: "stop other status", method: "PATCH", path: pols + "/nightly/executions/1", user: "admin",
			body: `{"status":"Running"}`, wantStatus: 500},
		{name: "instance in use", method: "DELETE", path: inst + "/df", user: "admin", wantStatus: 412,
			wantBody: []string{"Provider [df] cannot be deleted as some preheat policies are using it"}},
		{name: "disabling instance in use", method: "PUT", path: inst + "/df", user: "admin",
			body: `{"id":1,"name":"df","vendor":"dragonfly","endpoint":"` + hs.URL + `","enabled":false}`, wantStatus: 412,
			wantBody: []string{"Provider [df] cannot be disabled as some preheat policies are using it"}},
		{name: "update without id", method: "PUT", path: pols + "/nightly", user: "admin",
			body: `{"name":"nightly","provider_id":1}`, wantStatus: 404, wantBody: []string{`"policy 0 not found"`}},
		{name: "update to scheduled", method: "PUT", path: pols + "/nightly", user: "admin",
			body:       `{"id":1,"name":"nightly","provider_id":1,"enabled":true,"trigger":"{\"type\":\"scheduled\",\"trigger_setting\":{\"cron\":\"0 0 1 * * *\"}}"}`,
			wantStatus: 200},
		{name: "schedule listed", method: "GET", path: "/api/v2.0/schedules", user: "admin", wantStatus: 200,
			wantBody: []string{`"vendor_type":"P2P_PREHEAT"`, `"vendor_id":1`, `"cron":"0 0 1 * * *"`}},
		{name: "creation_time from the body", method: "GET", path: pols + "/nightly", user: "admin", wantStatus: 200,
			wantBody: []string{`"creation_time":"0001-01-01T00:00:00.000Z"`}},
		{name: "maintainer cannot delete", method: "DELETE", path: pols + "/nightly", user: "maint", wantStatus: 403},
		{name: "delete", method: "DELETE", path: pols + "/nightly", user: "admin", wantStatus: 200},
		{name: "executions gone", method: "GET", path: pols + "/nightly/executions", user: "admin", wantStatus: 404},
		{name: "schedule gone", method: "GET", path: "/api/v2.0/schedules", user: "admin", wantStatus: 200,
			wantBody: []string{"[]"}, wantHeader: map[string]string{"X-Total-Count": "0"}},
	})
	status, _, _ := call(t, srv, http.MethodGet, pols, "", "", "")
	require.Equal(t, http.StatusUnauthorized, status, "a private project's policies need credentials")
}

func TestScanners(t *testing.T) {
	srv := harbortest.New(t)
	srv.MarkRegistryUnreachable("http://127.0.0.1:15996")
	srv.AddProject("capart1", false)
	srv.AddUser("capuser1", "CapUser24680", false)
	fake := `{"name":"fake-scanner","description":"rig","url":"http://127.0.0.1:15004","auth":"","skip_certVerify":true}`
	runSteps(t, srv, []apiStep{
		{name: "b326", method: "GET", path: "/api/v2.0/scanners", user: "admin", status: ok, want: []string{"[]"}},
		{name: "b327 unreachable", method: "POST", path: "/api/v2.0/scanners/ping", user: "admin", body: `{"name":"d","url":"http://127.0.0.1:15996"}`, status: 500},
		{name: "b328", method: "POST", path: "/api/v2.0/scanners", user: "admin", body: `{"name":"d","url":"http://127.0.0.1:15996"}`, status: 500},
		{name: "b331", method: "POST", path: "/api/v2.0/scanners", user: "admin", body: `{"name":"b","url":"not a url"}`, status: 422,
			want: []string{errBody("UNPROCESSABLE_ENTITY", `validation failure list:\nvalidation failure list:\nurl in body must be of type uri: \"not a url\"`)}},
		{name: "b332", method: "POST", path: "/api/v2.0/scanners", user: "admin", body: `{"name":"b","url":"http://h","auth":"Digest"}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "auth type Digest is not supported")}},
		{name: "b482", method: "POST", path: "/api/v2.0/scanners", user: "admin", body: `{"name":"b","url":"http://h","auth":"Bearer"}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "access_credential is required for auth type Bearer")}},
		{name: "b478", method: "POST", path: "/api/v2.0/scanners/ping", user: "admin", body: fake, status: ok},
		{name: "b479", method: "POST", path: "/api/v2.0/scanners", user: "admin", body: fake, status: created},
		{name: "b480 same url", method: "POST", path: "/api/v2.0/scanners", user: "admin",
			body: `{"name":"other","url":"http://127.0.0.1:15004","auth":"Basic","access_credential":"u:p"}`, status: 409,
			want: []string{errBody("UNKNOWN", "dao: create registration: registration name or url already exists")}},
		{name: "b506", method: "POST", path: "/api/v2.0/scanners", user: "admin",
			body: `{"name":"fake-scanner-basic","url":"http://localhost:15004","auth":"Basic","access_credential":"scanuser:scanpass"}`, status: created},
		{name: "b334", method: "GET", path: "/api/v2.0/scanners/no-such-uuid", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "scanner no-such-uuid not found")}},
		{name: "b487", method: "GET", path: "/api/v2.0/scanners/no-such-uuid/metadata", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "registration no-such-uuid not found")}},
		{name: "b484", method: "GET", path: "/api/v2.0/scanners?q=name%3D~basic&page_size=5", user: "admin", status: ok,
			header: map[string]string{"X-Total-Count": "1"}},
		{name: "b504", method: "GET", path: "/api/v2.0/scanners", user: "capuser1", password: "CapUser24680", status: 403,
			want: []string{errBody("FORBIDDEN", "capuser1")}},
	})
	_, _, list := call(t, srv, "GET", "/api/v2.0/scanners", "admin", srv.AdminPassword, "")
	first, second := jsonField(t, list, "0.uuid"), jsonField(t, list, "1.uuid")
	if jsonField(t, list, "0.name") != "fake-scanner" || jsonField(t, list, "0.is_default") != "true" || jsonField(t, list, "1.is_default") != "false" {
		t.Fatalf("the first registration must be the default: %s", list)
	}
	if strings.Contains(list, "scanpass") {
		t.Fatalf("credential shown: %s", list)
	}
	runSteps(t, srv, []apiStep{
		{name: "b486", method: "GET", path: "/api/v2.0/scanners/" + first + "/metadata", user: "admin", status: ok,
			want: []string{`"scanner":{"name":"FakeScan","vendor":"harbor-rig","version":"0.3.0"}`}},
		{name: "b491 project uses the default", method: "GET", path: "/api/v2.0/projects/capart1/scanner", user: "admin", status: ok,
			want: []string{`"adapter":"FakeScan"`, `"health":"healthy","is_default":true,"name":"fake-scanner"`}},
		{name: "b495 unknown uuid accepted", method: "PUT", path: "/api/v2.0/projects/capart1/scanner", user: "admin", body: `{"uuid":"no-such-uuid"}`, status: ok},
		{name: "falls back to the default", method: "GET", path: "/api/v2.0/projects/capart1/scanner", user: "admin", status: ok,
			want: []string{`"name":"fake-scanner"`}},
		{name: "b508", method: "PUT", path: "/api/v2.0/projects/capart1/scanner", user: "admin", body: `{"uuid":"` + second + `"}`, status: ok},
		{name: "b509", method: "GET", path: "/api/v2.0/projects/capart1/scanner", user: "admin", status: ok,
			want: []string{`"access_credential":""`, `"auth":"Basic"`, `"is_default":false,"name":"fake-scanner-basic"`}},
		{name: "b510", method: "PUT", path: "/api/v2.0/scanners/" + second, user: "admin",
			body: `{"name":"fake-scanner-basic","description":"now disabled","url":"http://localhost:15004","auth":"Basic","disabled":true,"access_credential":"u:p2"}`, status: ok},
		{name: "b512", method: "GET", path: "/api/v2.0/projects/capart1/scanner/candidates", user: "admin", status: ok,
			want: []string{`"disabled":true`}, header: map[string]string{"X-Total-Count": "2"}},
		{name: "empty credential keeps the stored one", method: "PUT", path: "/api/v2.0/scanners/" + second, user: "admin",
			body: `{"name":"fake-scanner-basic","url":"http://localhost:15004","auth":"Basic","disabled":true}`, status: ok},
		{name: "is_default false looks nothing up", method: "PATCH", path: "/api/v2.0/scanners/no-such-uuid", user: "admin", body: `{"is_default":false}`, status: ok},
		{name: "ex_name is exact", method: "GET", path: "/api/v2.0/scanners?ex_name=fake-scanner", user: "admin", status: ok,
			header: map[string]string{"X-Total-Count": "1"}},
		{name: "name is fuzzy", method: "GET", path: "/api/v2.0/scanners?name=fake-scanner", user: "admin", status: ok,
			header: map[string]string{"X-Total-Count": "2"}},
		{name: "b514", method: "PUT", path: "/api/v2.0/scanners/no-such-uuid", user: "admin", body: fake, status: 404},
		{name: "b489", method: "PATCH", path: "/api/v2.0/scanners/no-such-uuid", user: "admin", body: `{"is_default":true}`, status: 404},
		{name: "b515 delete answers the registration", method: "DELETE", path: "/api/v2.0/scanners/" + second, user: "admin", status: ok,
			want: []string{`"capabilities":null`, `"name":"fake-scanner-basic"`}},
		{name: "b516", method: "DELETE", path: "/api/v2.0/scanners/" + second, user: "admin", status: 404},
		{name: "b517 back to the default", method: "GET", path: "/api/v2.0/projects/capart1/scanner", user: "admin", status: ok,
			want: []string{`"name":"fake-scanner"`}},
		{name: "b488", method: "PATCH", path: "/api/v2.0/scanners/" + first, user: "admin", body: `{"is_default":true}`, status: ok},
	})
}

// An index's report is its children's merged, each finding naming the
// children it was found in (v026: a CVE of both platforms lists both child
// digests, newest child first); the index has no hub rows of its own, its
// children do (v036).
func TestIndexReportMergesChildrenWithArtifactDigests(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("capart1", false)
	index, kids := srv.AddIndex("capart1", "multi", []string{"linux/amd64", "linux/arm64"}, "v1", "stable")
	sample := harbortest.SampleVulnerabilities()
	srv.SetReport("capart1", "multi", kids[0], sample[:2])  // amd64: CVE-2023-4863, CVE-2023-38545
	srv.SetReport("capart1", "multi", kids[1], sample[:1])  // arm64: CVE-2023-4863
	srv.SetReport("capart1", "multi", kids[1], sample[0:1]) // again: still one report per type

	st, _, body := call(t, srv, "GET", "/api/v2.0/projects/capart1/repositories/multi/artifacts/v1/additions/vulnerabilities", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st, body)
	var byType map[string]struct {
		Severity        string `json:"severity"`
		Vulnerabilities []struct {
			ID              string   `json:"id"`
			ArtifactDigests []string `json:"artifact_digests"`
		} `json:"vulnerabilities"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &byType))
	rep := byType["application/vnd.security.vulnerability.report; version=1.1"]
	require.Equal(t, "Critical", rep.Severity)
	require.Len(t, rep.Vulnerabilities, 2, body)
	require.Equal(t, "CVE-2023-4863", rep.Vulnerabilities[0].ID)
	require.Equal(t, []string{kids[1], kids[0]}, rep.Vulnerabilities[0].ArtifactDigests, "newest child first, as Harbor merges")
	require.Equal(t, "CVE-2023-38545", rep.Vulnerabilities[1].ID)
	require.Equal(t, []string{kids[0]}, rep.Vulnerabilities[1].ArtifactDigests)

	// The index's overview is the merged report's.
	st, _, body = call(t, srv, "GET", "/api/v2.0/projects/capart1/repositories/multi/artifacts/"+index+"?with_scan_overview=true", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st, body)
	require.Contains(t, body, `"scan_status":"Success"`)
	require.Contains(t, body, `"total":2`)

	// Hub rows: the children only (2 findings + 1, twice: two report types).
	_, h, body := call(t, srv, "GET", "/api/v2.0/security/vul?page_size=100", "admin", "Harbor12345", "")
	require.Equal(t, "6", h.Get("X-Total-Count"), body)
	require.NotContains(t, body, index)
}

// Scanning an index scans its children (v024); until every child has a
// report the index has none ({}), as Harbor answers.
func TestScanIndexScansChildren(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("p", false)
	_, kids := srv.AddIndex("p", "multi", []string{"linux/amd64", "linux/arm64/v8"}, "v1")
	srv.PlanScan("p", "multi", kids[1], harbortest.SampleVulnerabilities()[:1], 0)
	srv.PlanScan("p", "multi", "v1", harbortest.SampleVulnerabilities()[1:2], 0) // for the children without a plan
	path := "/api/v2.0/projects/p/repositories/multi/artifacts/v1"
	st, _, body := call(t, srv, "GET", path+"/additions/vulnerabilities", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st, body)
	require.JSONEq(t, `{}`, body)
	st, _, body = call(t, srv, "POST", path+"/scan", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusAccepted, st, body)
	_, _, body = call(t, srv, "GET", path+"/additions/vulnerabilities", "admin", "Harbor12345", "")
	require.Contains(t, body, `"id":"CVE-2023-4863"`)
	require.Contains(t, body, `"artifact_digests":["`+kids[1]+`"]`)
	require.Contains(t, body, `"artifact_digests":["`+kids[0]+`"]`)
	_, _, body = call(t, srv, "GET", "/api/v2.0/projects/p/repositories/multi/artifacts/"+kids[1], "admin", "Harbor12345", "")
	require.Contains(t, body, `"architecture":"arm64"`)
	require.Contains(t, body, `"variant":"v8"`)
	_, _, body = call(t, srv, "GET", path, "admin", "Harbor12345", "")
	require.Contains(t, body, `"platform":{"OsFeatures":null,"architecture":"arm64","os":"linux","variant":"v8"}`)
}
