package harbortest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestHostileInput walks every operation of swagger.yaml (operations.go) and
// sends each one malformed bodies, odd path parameters and odd query
// parameters as admin, through the server's own handler. No answer may come
// from a panic or take longer than hostileTimeout; no answer may be a 5xx
// unless Harbor answers that input the same way (hostile5xx); every 4xx
// must be Harbor's JSON error body. The requests run on several goroutines
// so that -race sees the handlers concurrently; afterwards the server must
// still answer GET /projects.
func TestHostileInput(t *testing.T) {
	byOp := map[string][]hostileCase{}
	for _, c := range hostileCases(testing.Short()) {
		byOp[c.op] = append(byOp[c.op], c)
	}
	var findings []string
	total := 0
	for _, op := range operations {
		f := probeOperation(byOp[op.id])
		findings = append(findings, f...)
		total += len(byOp[op.id])
	}
	for _, f := range findings {
		t.Error(f)
	}
	t.Logf("%d hostile requests over %d operations", total, len(operations))
}

// probeOperation sends one operation's cases to a server of its own from
// four goroutines and returns what went wrong: the first example of each
// kind of fault. A panic or a hang ends the operation's probe (a panic may
// leave the server's lock held). Afterwards GET /projects must still work.
func probeOperation(cases []hostileCase) []string {
	s, err := Start()
	if err != nil {
		return []string{err.Error()}
	}
	defer s.Close()
	s.AddProject("probe", true)
	s.AddImage("probe", "app", "1.0")
	h := s.Handler()
	for _, sd := range hostileSeeds {
		status, _, body, problem := probeOnce(h, s.AdminUsername, s.AdminPassword,
			hostileCase{method: "POST", target: apiPrefix + sd[0], body: sd[1]})
		if status != http.StatusCreated {
			return []string{fmt.Sprintf("seeding POST %s: %d %s %s", sd[0], status, problem, shorten(body))}
		}
	}

	var (
		mu       sync.Mutex
		seen     = map[string]bool{}
		findings []string
		stop     bool
	)
	report := func(op, kind, example string, fatal bool) {
		mu.Lock()
		defer mu.Unlock()
		stop = stop || fatal
		if !seen[kind] {
			seen[kind] = true
			findings = append(findings, op+": "+kind+": "+example)
		}
	}
	stopped := func() bool { mu.Lock(); defer mu.Unlock(); return stop }
	work := make(chan hostileCase)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for c := range work {
				if stopped() {
					continue
				}
				status, hdr, body, problem := probeOnce(h, s.AdminUsername, s.AdminPassword, c)
				example := c.method + " " + shorten(c.target) + " body=" + shorten(c.body)
				switch {
				case problem != "":
					report(c.op, shorten(problem), example, true)
				case faithful(c, status):
				case status >= 500 && !(status == 501 && !servedOps[c.op]):
					report(c.op, fmt.Sprintf("answered %d", status), example+" -> "+shorten(body), false)
				case status >= 300 && status < 400:
					report(c.op, fmt.Sprintf("redirected (%d)", status), example+" -> "+hdr.Get("Location"), false)
				case status >= 400 && !isHarborError(hdr, body):
					report(c.op, fmt.Sprintf("%d without Harbor's error body", status), example+" -> "+shorten(body), false)
				}
			}
		})
	}
	for _, c := range cases {
		work <- c
	}
	close(work)
	wg.Wait()
	if stop {
		return findings
	}
	status, _, body, problem := probeOnce(h, s.AdminUsername, s.AdminPassword,
		hostileCase{op: "listProjects", method: "GET", target: apiPrefix + "/projects"})
	var list []map[string]any
	if problem != "" || status != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list) == 0 {
		findings = append(findings, fmt.Sprintf("GET /projects after probing %s: %d %s %s", cases[0].op, status, problem, shorten(body)))
	}
	return findings
}

// hostileTimeout bounds one request of the probe; a handler that takes longer
// is taken to hang (generous: a 1 MiB body takes about 1 s under -race, and
// CI runs packages side by side on 2 loaded cores).
const hostileTimeout = 30 * time.Second

// hostileCase is one request of the probe.
type hostileCase struct {
	op, method, target, body string
	class                    string // "path", "query", "body" or "nobody"
	noBody                   bool   // send no body at all (ContentLength 0)
}

// probeOnce serves one request with h and reports a panic or a hang as problem.
func probeOnce(h http.Handler, user, pass string, c hostileCase) (status int, hdr http.Header, body, problem string) {
	var rd io.Reader
	if !c.noBody && c.body != "" {
		rd = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, "http://harbor.test"+c.target, rd)
	if err != nil {
		return 0, nil, "", "cannot build request: " + err.Error()
	}
	if rd == nil {
		req.Body = http.NoBody // as a server hands it to its handlers
	}
	req.SetBasicAuth(user, pass)
	req.Header.Set("Accept", "application/json")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	done := make(chan string, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- fmt.Sprint("panic: ", v, " at ", panicSite(string(debug.Stack())))
			}
		}()
		h.ServeHTTP(rec, req)
		done <- ""
	}()
	select {
	case p := <-done:
		if p != "" {
			return 0, nil, "", p
		}
	case <-time.After(hostileTimeout):
		return 0, nil, "", "hang"
	}
	return rec.Code, rec.Header(), rec.Body.String(), ""
}

// isHarborError reports whether an answer is Harbor's error shape:
// {"errors":[{"code":"...","message":"..."}]} as JSON.
func isHarborError(hdr http.Header, body string) bool {
	if !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		return false
	}
	var eb struct {
		Errors []struct{ Code, Message *string }
	}
	if json.Unmarshal([]byte(body), &eb) != nil || len(eb.Errors) == 0 {
		return false
	}
	for _, e := range eb.Errors {
		if e.Code == nil || *e.Code == "" || e.Message == nil {
			return false
		}
	}
	return true
}

// hostileFaithful lists the 5xx answers and the error answers without
// Harbor's error body that the probe accepts, by operation and class of
// input ("*" for any): Harbor gives the same to the same input (see
// testdata/harbor-captures/set2/README.md).
var hostileFaithful = map[string]string{
	"actionGetJobLog *":        "500 for an unknown job (b424)",
	"getPurgeJob *":            "empty 500 for an unknown purge id (b408)",
	"getRetention *":           "500 for a missing policy (b270)",
	"searchLdapUser *":         "500 without an LDAP server (b437-b439)",
	"searchLdapGroup *":        "500 without an LDAP server (b437-b439)",
	"importLdapUser *":         "500 without an LDAP server (b437-b439)",
	"pingLdap *":               "empty 500 without a body (b434)",
	"CreateInstance body":      "500 for a name Harbor refuses (plain error, b312)",
	"CreatePolicy body":        "500 for a name Harbor refuses (plain error)",
	"UpdatePolicy path":        "500 for a name Harbor refuses (plain error)",
	"UpdatePolicy body":        "500 for a name Harbor refuses (plain error)",
	"createProjectMember body": "500 for an empty member (b055)",
	"ManualPreheat *":          "500 when the provider does not answer (b318)",
	"PingInstances body":       "empty 400 without an endpoint (b319), empty 404 for an unknown id",
	"createUserGroup *":        "empty 400 without a body or a group_name (set4/u019)",
	"updateUserGroup *":        "empty 400 without a body or a group_name (set4/u023, u025)",
	"putSystemCVEAllowlist *":  "empty 500 without a body (set4/u027)",
	"createProject body":       "500 for a registry_id that does not exist (set3/t007), checked before the name (set4)",
	"createGCSchedule body":    "empty 500 without a schedule object (set4)",
	"updateGCSchedule body":    "empty 500 without a schedule object (set4)",
	"CreateLabel body":         "500 for a name over 128 bytes, the database column (set4)",
	"UpdateLabel body":         "500 for a name over 128 bytes, the database column (set4)",
}

// faithful reports whether the answer status to c is one hostileFaithful
// accepts (any 5xx, or a 4xx whatever its body).
func faithful(c hostileCase, status int) bool {
	if status < 400 {
		return false
	}
	_, ok := hostileFaithful[c.op+" "+c.class]
	_, any := hostileFaithful[c.op+" *"]
	return ok || any
}

// servedOps holds the operationIds harbortest serves.
var servedOps = servedBy(&Server{})

// hostileSeeds are created (POST path, body) on each probe server, so that
// the ids 1 and the names "x" of validParam exist.
var hostileSeeds = [][2]string{
	{"/labels", `{"name":"a","scope":"g"}`},
	{"/registries", `{"name":"r","type":"docker-registry","url":"http://h"}`},
	{"/robots", `{"name":"r","level":"system","duration":-1,"permissions":[{"kind":"project","namespace":"probe","access":[{"resource":"repository","action":"pull"}]}]}`},
	{"/users", `{"username":"u","email":"u@example.com","realname":"u","password":"Probe12345"}`},
	{"/usergroups", `{"group_name":"g","group_type":2}`},
	{"/projects/probe/members", `{"role_id":3,"member_user":{"username":"u"}}`},
	{"/projects/probe/webhook/policies", `{"name":"w","event_types":["PUSH_ARTIFACT"],"targets":[{"type":"http","address":"http://h"}]}`},
	{"/projects/probe/immutabletagrules", `{"tag_selectors":[{"pattern":"v1"}]}`},
	{"/retentions", `{"algorithm":"or","rules":[],"trigger":{"kind":"Schedule","settings":{"cron":""}},"scope":{"level":"project","ref":2}}`},
	{"/replication/policies", `{"name":"p","src_registry":{"id":1},"trigger":{"type":"manual"},"enabled":true}`},
	{"/p2p/preheat/instances", `{"name":"x","vendor":"dragonfly","endpoint":"http://127.0.0.1:1","auth_mode":"NONE","enabled":true}`},
	{"/projects/probe/preheat/policies", `{"name":"x","project_id":2,"provider_id":1,"filters":"[]","trigger":"{\"type\":\"manual\"}","enabled":true}`},
}

// validParam is a value for each path parameter that names something the
// probe's server holds, so that body and query cases reach the handler's
// own checks.
var validParam = map[string]string{
	"project_name": "probe", "project_name_or_id": "probe", "repository_name": "app",
	"reference": "1.0", "tag_name": "1.0", "addition": "build_history",
	"meta_name": "public", "job_type": "GARBAGE_COLLECTION", "pool_id": "1",
	"preheat_instance_name": "x", "preheat_policy_name": "x", "registration_id": "x",
	"digest": "sha256:" + strings.Repeat("a", 64), "report_id": "x",
}

var oddParams = []string{
	"%2F", "..", ".", "", "%2E%2E", "%ff", "%C3%A9%E2%9C%93", "%20", "%00", strings.Repeat("a", 10000),
	"-1", "0", "9223372036854775807", "99999999999999999999", "1e400", "x",
}

var oddBodies = []string{
	`{`, `[]`, `null`, `"x"`, `42`, `{}`, `[{}]`, `{"a":`, "\xff\xfe",
	`{"id":"x","name":1,"project_id":"x","metadata":"x","role_id":"x","member_user":"x","hard":"x","permissions":"x","duration":"x","level":1,"rules":"x","targets":"x","filters":"x","trigger":"x","items":"x","schedule":"x","parameters":"x","tag_selectors":"x","scope_selectors":"x","enabled":"x","public":1}`,
}

var oddQueries = []string{
	"page=0", "page=-1", "page=9223372036854775807", "page=abc", "page=1e400",
	"page_size=0", "page_size=-1", "page_size=101", "page_size=abc", "page_size=9223372036854775807",
	"page=9223372036854775807&page_size=100", "page=4611686018427387904&page_size=2",
	"q=garbage", "q=name=", "q=name%3D", "q=name%3D~", "q=k%3D%5Ba~", "q=k%3D%7B", "q=k%3D%5B~%5D",
	"q=name%253Dx", "q=%25", "q=%2C%2C", "q=id%3D-1", "q=id%3D%5B9~1%5D", "q=id%3Dabc", "q=%3D%3D",
	"q=creation_time%3D%5Bx~y%5D", "q=project_id%3D%7Ba%20b%7D", "q=name%3D%28%29",
	"sort=-", "sort=%2C%2C", "sort=--name", "sort=name,-,x", "sort=%00",
	"with_tag=x", "with_label=x", "with_scan_overview=x", "with_detail=x", "with_immutable_status=x",
	"project_id=-1", "project_id=abc", "with_signature=x", "type=x", "username=%ff", "name=%ff",
}

// hugeBody is a 1 MiB JSON body, built once: large enough to be read in
// many chunks, small enough that 200 writes of it stay quick under -race.
var hugeBody = sync.OnceValue(func() string {
	return `{"name":"` + strings.Repeat("a", 1<<20) + `","id":1}`
})

func numBody(n string) string {
	return fmt.Sprintf(`{"id":%[1]s,"project_id":%[1]s,"role_id":%[1]s,"registry_id":%[1]s,"src_registry":{"id":%[1]s},"dest_registry":{"id":%[1]s},"storage_limit":%[1]s,"count_limit":%[1]s,"hard":{"storage":%[1]s},"duration":%[1]s,"member_user":{"user_id":%[1]s},"member_group":{"id":%[1]s},"group_type":%[1]s,"sysadmin_flag":true,"expires_at":%[1]s,"level":"x","schedule":{"type":"Custom","cron":"x"},"scope":"g","name":"n%[1]s"}`, n)
}

var pathParamRE = regexp.MustCompile(`\{([a-z_]+)\}`)

// hostileCases builds the probe's requests for every operation.
func hostileCases(short bool) []hostileCase {
	var out []hostileCase
	for _, op := range operations {
		names := pathParamRE.FindAllStringSubmatch(op.path, -1)
		fill := func(odd string, which int) string {
			i := -1
			return pathParamRE.ReplaceAllStringFunc(op.path, func(m string) string {
				i++
				if i == which {
					return odd
				}
				if v, ok := validParam[m[1:len(m)-1]]; ok {
					return v
				}
				return "1"
			})
		}
		valid := apiPrefix + fill("", -1)
		add := func(class, target, body string, noBody bool) {
			out = append(out, hostileCase{op: op.id, method: op.method, target: target, body: body, noBody: noBody, class: class})
		}
		for i := range names {
			for _, odd := range oddParams {
				add("path", apiPrefix+fill(odd, i), "{}", false)
			}
		}
		for _, q := range oddQueries {
			add("query", valid+"?"+q, "", true)
		}
		if op.method == "GET" || op.method == "DELETE" || op.method == "HEAD" {
			continue
		}
		add("nobody", valid, "", true)
		for _, b := range oddBodies {
			add("body", valid, b, false)
		}
		for _, n := range []string{"-1", "0", "9223372036854775807", "1e400", "1.5", "99999999999999999999"} {
			add("body", valid, numBody(n), false)
		}
		if !short {
			add("body", valid, hugeBody(), false)
		}
	}
	return out
}

// panicSite returns the first line of harbortest's own code in a stack.
func panicSite(stack string) string {
	for _, l := range strings.Split(stack, "\n") {
		if strings.Contains(l, "/harbortest/") && !strings.Contains(l, "_test.go") {
			return strings.TrimSpace(l)
		}
	}
	return "?"
}

func shorten(s string) string {
	if len(s) > 120 {
		return fmt.Sprintf("%s...(%d bytes)", s[:120], len(s))
	}
	return s
}

// TestHostileProbeDetects checks the probe's own detectors: a panicking
// handler is reported, and only Harbor's error shape passes isHarborError.
func TestHostileProbeDetects(t *testing.T) {
	boom := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })
	if _, _, _, problem := probeOnce(boom, "u", "p", hostileCase{method: "GET", target: "/x"}); !strings.HasPrefix(problem, "panic: boom") {
		t.Fatalf("problem %q, want a panic", problem)
	}
	jsonCT := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	for body, want := range map[string]bool{
		`{"errors":[{"code":"NOT_FOUND","message":"x"}]}`: true,
		`{"errors":[]}`:                false,
		`{"errors":[{"message":"x"}]}`: false,
		`{"message":"x"}`:              false,
		``:                             false,
	} {
		if got := isHarborError(jsonCT, body); got != want {
			t.Errorf("isHarborError(%q) = %v, want %v", body, got, want)
		}
	}
	if isHarborError(http.Header{"Content-Type": {"text/plain"}}, `{"errors":[{"code":"X","message":"x"}]}`) {
		t.Error("isHarborError accepted text/plain")
	}
}
