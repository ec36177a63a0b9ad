package harbortest_test

import (
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func TestWebhookPolicies(t *testing.T) {
	srv := harbortest.NewServer()
	defer srv.Close()
	srv.AddProject("capart1", false)
	srv.AddProject("capart2", false)
	_, secret := createRobot(t, srv, `{"name":"puller","level":"project","duration":-1,"permissions":[{"kind":"project","namespace":"capart1","access":[{"resource":"repository","action":"pull"}]}]}`)
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
