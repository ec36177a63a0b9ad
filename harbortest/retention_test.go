package harbortest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func fixedClock() harbortest.Option {
	at := time.Date(2026, 11, 30, 3, 57, 0, 0, time.UTC)
	return harbortest.WithClock(func() time.Time { return at })
}

func TestRetention(t *testing.T) {
	srv := harbortest.NewServer(fixedClock())
	defer srv.Close()
	pid := itoa(srv.AddProject("capart1", false))
	srv.AddArtifact("capart1", "team/app", "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	srv.AddArtifact("capart1", "multi", "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
	srv.AddArtifact("capart1", "multi", "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc")
	_, secret := projectRobot(t, srv, "puller", "capart1", "pull")
	rule := `{"disabled":false,"action":"retain","template":"latestPushedK","params":{"latestPushedK":1},"tag_selectors":[{"kind":"doublestar","decoration":"matches","pattern":"**"}],"scope_selectors":{"repository":[{"kind":"doublestar","decoration":"repoMatches","pattern":"**"}]}}`
	body := `{"algorithm":"or","rules":[` + rule + `],"trigger":{"kind":"Schedule","settings":{"cron":""},"references":{}},"scope":{"level":"project","ref":` + pid + `}}`
	runSteps(t, srv, []apiStep{
		{name: "b262", method: "GET", path: "/api/v2.0/retentions/metadatas", user: "admin", status: ok,
			want: []string{`"rule_template":"latestPushedK"`, `"rule_template":"always"`}},
		{name: "b267", method: "POST", path: "/api/v2.0/retentions", user: "admin",
			body: `{"algorithm":"or","rules":[],"scope":{"level":"project","ref":999999}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "bad request: invalid Project id 999999")}},
		{name: "anonymous", method: "GET", path: "/api/v2.0/retentions/metadatas", status: 401},
		{name: "a rule twice", method: "POST", path: "/api/v2.0/retentions", user: "admin",
			body: `{"algorithm":"or","rules":[` + rule + `,` + rule + `],"scope":{"level":"project","ref":` + pid + `}}`, status: 409,
			want: []string{errBody("CONFLICT", "conflict: rule 1 is conflict with rule 0")}},
		{name: "bad scope level", method: "POST", path: "/api/v2.0/retentions", user: "admin",
			body: `{"algorithm":"or","rules":[],"scope":{"level":"system","ref":` + pid + `}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "bad request: scope system is not support")}},
		{name: "b263", method: "POST", path: "/api/v2.0/retentions", user: "admin", body: body, status: created,
			header: map[string]string{"Location": "/api/v2.0/retentions/1"}},
		{name: "b264", method: "POST", path: "/api/v2.0/retentions", user: "admin", body: body, status: 400,
			want: []string{errBody("BAD_REQUEST", "bad request: project "+pid+" already has retention policy 1")}},
		{name: "b268", method: "GET", path: "/api/v2.0/projects/capart1/metadatas/retention_id", user: "admin", status: ok,
			want: []string{`{"retention_id":"1"}`}},
		{name: "b269 references dropped", method: "GET", path: "/api/v2.0/retentions/1", user: "admin", status: ok,
			want: []string{`{"algorithm":"or","id":1,"rules":[{"action":"retain","params":{"latestPushedK":1},"scope_selectors":{"repository":[{"decoration":"repoMatches","kind":"doublestar","pattern":"**"}]},"tag_selectors":[{"decoration":"matches","kind":"doublestar","pattern":"**"}],"template":"latestPushedK"}],"scope":{"level":"project","ref":` + pid + `},"trigger":{"kind":"Schedule","settings":{"cron":""}}}`}},
		{name: "b270 missing is 500", method: "GET", path: "/api/v2.0/retentions/999999", user: "admin", status: 500},
		{name: "b271", method: "PUT", path: "/api/v2.0/retentions/1", user: "admin",
			body: `{"algorithm":"or","rules":[` + rule + `,{"action":"retain","template":"always","params":{}}],"trigger":{"kind":"Schedule","settings":{"cron":"0 0 5 * * *"}},"scope":{"level":"project","ref":` + pid + `}}`, status: ok},
		{name: "b272 next run, empty params dropped", method: "GET", path: "/api/v2.0/retentions/1", user: "admin", status: ok,
			want: []string{`"settings":{"cron":"0 0 5 * * *","next_scheduled_time":"2026-11-30T05:00:00.000Z"}`, `{"action":"retain","tag_selectors":null,"template":"always"}`}},
		{name: "update through another project", method: "PUT", path: "/api/v2.0/retentions/1", user: "admin",
			body: `{"algorithm":"or","rules":[],"scope":{"level":"project","ref":1}}`, status: 404},
		{name: "b273", method: "PUT", path: "/api/v2.0/retentions/999999", user: "admin", body: body, status: 404,
			want: []string{errBody("NOT_FOUND", "resource not found: the retention policy id 999999 does not match")}},
		{name: "b274", method: "POST", path: "/api/v2.0/retentions/1/executions", user: "admin", body: `{"dry_run":true}`, status: created,
			header: map[string]string{"Location": "/api/v2.0/retentions/1/executions/1"}},
		{name: "b276", method: "GET", path: "/api/v2.0/retentions/1/executions", user: "admin", status: ok,
			want: []string{`"dry_run":true,"end_time":"2026-11-30T03:57:00Z","id":1,"policy_id":1,"start_time":"2026-11-30T03:57:00Z","status":"Success","trigger":"MANUAL"`}},
		{name: "b277 a task per repository", method: "GET", path: "/api/v2.0/retentions/1/executions/1/tasks", user: "admin", status: ok,
			want:   []string{`"repository":"team/app","retained":1`, `"repository":"multi","retained":2`, `"status":"Success","status_code":3,"total":2`},
			header: map[string]string{"X-Total-Count": "2"}},
		{name: "b278", method: "GET", path: "/api/v2.0/retentions/1/executions/1/tasks/1", user: "admin", status: ok, want: []string{"Dry Run: true"}},
		{name: "b279", method: "GET", path: "/api/v2.0/retentions/1/executions/1/tasks/999999", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "task 999999 not found")}},
		{name: "b280", method: "PATCH", path: "/api/v2.0/retentions/1/executions/1", user: "admin", body: `{"action":"stop"}`, status: ok},
		{name: "only stop", method: "PATCH", path: "/api/v2.0/retentions/1/executions/1", user: "admin", body: `{"action":"go"}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "bad request: action should be 'stop'")}},
		{name: "b281", method: "GET", path: "/api/v2.0/retentions/999999/executions", user: "admin", status: 400,
			want: []string{errBody("BAD_REQUEST", "bad request: no such Retention policy with id 999999")}},
		{name: "b282", method: "GET", path: "/api/v2.0/retentions/1", user: "robot$capart1+puller", password: secret, status: 403},
		{name: "b520", method: "DELETE", path: "/api/v2.0/retentions/1", user: "admin", status: ok},
		{name: "b369", method: "DELETE", path: "/api/v2.0/retentions/1", user: "admin", status: 400,
			want: []string{errBody("BAD_REQUEST", "bad request: no such Retention policy with id 1")}},
		{name: "b370 retention_id removed", method: "GET", path: "/api/v2.0/projects/capart1/metadatas/retention_id", user: "admin", status: ok,
			want: []string{`{}`}},
	})
}

func TestImmutableRules(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("capart1", false)
	_, secret := projectRobot(t, srv, "puller", "capart1", "pull")
	const base = "/api/v2.0/projects/capart1/immutabletagrules"
	rule := `{"disabled":false,"action":"immutable","template":"immutable_template","tag_selectors":[{"kind":"doublestar","decoration":"matches","pattern":"1.0*"}],"scope_selectors":{"repository":[{"kind":"doublestar","decoration":"repoMatches","pattern":"team/**"}]}}`
	runSteps(t, srv, []apiStep{
		{name: "b243", method: "GET", path: base, user: "admin", status: ok, want: []string{"[]"}, header: map[string]string{"X-Total-Count": "0"}},
		{name: "b244", method: "POST", path: base, user: "admin", body: rule, status: created,
			header: map[string]string{"Location": base + "/1"}},
		{name: "b245 duplicate uses up an id", method: "POST", path: base, user: "admin", body: rule, status: 409,
			want: []string{errBody("CONFLICT", "immutable rule already exists")}},
		{name: "b247 empty body accepted", method: "POST", path: base, user: "admin", body: `{}`, status: created,
			header: map[string]string{"Location": base + "/3"}},
		{name: "b248", method: "POST", path: "/api/v2.0/projects/nosuchproj/immutabletagrules", user: "admin", body: rule, status: 404},
		{name: "b249", method: "GET", path: base, user: "admin", status: ok,
			want: []string{`[{"action":"immutable","id":1,"scope_selectors":{"repository":[{"decoration":"repoMatches","kind":"doublestar","pattern":"team/**"}]},"tag_selectors":[{"decoration":"matches","kind":"doublestar","pattern":"1.0*"}],"template":"immutable_template"},{"id":3,"tag_selectors":null}]`}},
		{name: "b256", method: "PUT", path: base + "/1", user: "admin", body: `{"disabled":true,"action":"immutable","tag_selectors":[{"pattern":"1.0*"}],"id":1}`, status: ok},
		{name: "disabled shown", method: "GET", path: base, user: "admin", status: ok, want: []string{`"disabled":true,"id":1`}},
		{name: "path and body ids differ", method: "PUT", path: base + "/3", user: "admin", body: `{"id":1}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "bad request: the immutable_rule_id doesn't match the id in the payload body of ImmutableRule")}},
		{name: "another project's rule", method: "DELETE", path: "/api/v2.0/projects/library/immutabletagrules/1", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "resource not found: project id 1 does not match")}},
		{name: "b258", method: "PUT", path: base + "/999999", user: "admin", body: strings.Replace(rule, "{", `{"id":999999,`, 1), status: 404,
			want: []string{errBody("NOT_FOUND", "immutable rule 999999 not found")}},
		{name: "b261", method: "GET", path: base, user: "robot$capart1+puller", password: secret, status: 403},
		{name: "b259", method: "DELETE", path: base + "/1", user: "admin", status: ok},
		{name: "b260", method: "DELETE", path: base + "/1", user: "admin", status: 404},
	})
}
