package harbortest_test

import (
	"net/http"
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
		{name: "same name", method: "POST", path: base, user: "admin", body: inst("df", "dragonfly", dead, ""),
			wantStatus: 500, wantBody: []string{"internal server error"}},
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
