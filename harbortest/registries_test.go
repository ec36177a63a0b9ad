package harbortest_test

import (
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func TestRegistriesAndReplication(t *testing.T) {
	srv := harbortest.NewServer()
	defer srv.Close()
	srv.MarkRegistryUnreachable("http://127.0.0.1:15999")
	srv.AddProject("capart1", false)
	_, secret := createRobot(t, srv, `{"name":"nopull","level":"project","duration":-1,"permissions":[{"kind":"project","namespace":"capart1","access":[{"resource":"repository","action":"list"}]}]}`)
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
