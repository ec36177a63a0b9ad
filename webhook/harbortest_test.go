package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/harborkit/harbor-sdk-go/webhook"
)

// receiver records every request; paths starting with /fail answer 500,
// like the recording rig's receiver.
type receiver struct {
	mu  sync.Mutex
	got []received
}

// received is one request the receiver got.
type received struct {
	path   string
	header http.Header
	body   []byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.got = append(rc.got, received{path: r.URL.Path, header: r.Header.Clone(), body: body})
	rc.mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/fail") {
		http.Error(w, `{"error":"forced 500 by receiver"}`, http.StatusInternalServerError)
		return
	}
	_, _ = w.Write([]byte(`{"ok":true}`))
}

// call makes one API request as admin and fails the test unless it answers want.
func call(t *testing.T, srv *harbortest.Server, method, path, body string, want int) []byte {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+"/api/v2.0"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(srv.AdminUsername, srv.AdminPassword)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, b, want)
	}
	return b
}

// fireRecordedScenario replays the recording's steps against harbortest
// (project whk1, the policies of w002-w005, pushes, pulls, scans, a deletion, a
// retention run, a replication, a quota warning and a refusal) and returns what the receiver got.
func fireRecordedScenario(t *testing.T) (*harbortest.Server, *receiver) {
	t.Helper()
	srv := harbortest.New(t)
	rc := &receiver{}
	target := httptest.NewServer(rc)
	t.Cleanup(target.Close)
	srv.AddProject("whk1", false)
	all := `["PUSH_ARTIFACT","PULL_ARTIFACT","DELETE_ARTIFACT","QUOTA_EXCEED","QUOTA_WARNING","SCANNING_FAILED","SCANNING_STOPPED","SCANNING_COMPLETED","REPLICATION","TAG_RETENTION"]`
	for _, p := range []struct{ name, events, target string }{
		{"whk1-default", all, `{"type":"http","address":"%s/default","auth_header":"Bearer whk-secret-123","skip_cert_verify":true,"payload_format":"Default"}`},
		{"whk1-cloudevents", all, `{"type":"http","address":"%s/cloudevents","auth_header":"Bearer whk-secret-123","skip_cert_verify":true,"payload_format":"CloudEvents"}`},
		{"whk1-slack", all, `{"type":"slack","address":"%s/slack","skip_cert_verify":true}`},
		{"whk1-fail500", `["PUSH_ARTIFACT"]`, `{"type":"http","address":"%s/fail500","auth_header":"Bearer whk-secret-123","skip_cert_verify":true,"payload_format":"Default"}`},
	} {
		call(t, srv, "POST", "/projects/whk1/webhook/policies", fmt.Sprintf(`{"name":%q,"enabled":true,"event_types":%s,"targets":[`+p.target+`]}`,
			p.name, p.events, target.URL), http.StatusCreated)
	}
	srv.AddImage("whk1", "app", "1.0")                                                                          // w009-w012
	srv.AddArtifact("whk1", "multi", "sha256:2445c4f41e4dc572204078072d4ac298723d966943ee9b53894df531969085eb") // w021, w022
	srv.Pull("whk1", "app", "1.0")                                                                              // w049, w050
	srv.Pull("whk1", "multi", "sha256:2445c4f41e4dc572204078072d4ac298723d966943ee9b53894df531969085eb")        // w033, w034
	srv.PlanScan("whk1", "app", "1.0", nil, 0)
	call(t, srv, "POST", "/projects/whk1/repositories/app/artifacts/1.0/scan", "", http.StatusAccepted)                     // w058, w059
	call(t, srv, "POST", "/projects/whk1/repositories/app/artifacts/1.0/scan", `{"scan_type":"sbom"}`, http.StatusAccepted) // not recorded
	srv.AddImage("whk1", "failscan", "1.0")
	srv.PlanScanFailure("whk1", "failscan", "1.0", 0)
	call(t, srv, "POST", "/projects/whk1/repositories/failscan/artifacts/1.0/scan", "", http.StatusAccepted) // w083, w084
	srv.AddImage("whk1", "slowscan", "1.0")
	srv.PlanScan("whk1", "slowscan", "1.0", nil, time.Hour)
	call(t, srv, "POST", "/projects/whk1/repositories/slowscan/artifacts/1.0/scan", "", http.StatusAccepted)
	call(t, srv, "POST", "/projects/whk1/repositories/slowscan/artifacts/1.0/scan/stop", "", http.StatusAccepted) // w086, w087
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := srv.WaitWebhooks(ctx); err != nil { // the scans end before the deletion, as recorded
		t.Fatal(err)
	}
	call(t, srv, "DELETE", "/projects/whk1/repositories/failscan/artifacts/1.0", "", http.StatusOK) // w153, w154
	pid := srv.Projects()[1].ID
	call(t, srv, "POST", "/retentions", fmt.Sprintf(`{"algorithm":"or","rules":[{"disabled":false,"action":"retain","template":"latestPushedK","params":{"latestPushedK":1},"tag_selectors":[{"kind":"doublestar","decoration":"matches","pattern":"**"}],"scope_selectors":{"repository":[{"kind":"doublestar","decoration":"repoMatches","pattern":"app"}]}}],"trigger":{"kind":"Schedule","settings":{"cron":""}},"scope":{"level":"project","ref":%d}}`, pid), http.StatusCreated)
	call(t, srv, "POST", "/retentions/1/executions", `{"dry_run":false}`, http.StatusCreated) // w145, w146
	call(t, srv, "POST", "/registries", `{"name":"whk-self-localhost","type":"harbor","url":"http://localhost:8080","credential":{"type":"basic","access_key":"admin","access_secret":"Harbor12345"},"insecure":true}`, http.StatusCreated)
	call(t, srv, "POST", "/replication/policies", `{"name":"whk-repl","description":"push whk1 -> whk2 (webhook captures)","src_registry":null,"dest_registry":{"id":1},"dest_namespace":"whk2","dest_namespace_replace_count":1,"filters":[{"type":"name","value":"whk1/**"}],"trigger":{"type":"manual"},"enabled":true,"override":true,"speed":0,"copy_by_chunk":false}`, http.StatusCreated)
	call(t, srv, "POST", "/replication/executions", `{"policy_id":1}`, http.StatusCreated) // w095-w098, w133, w134
	var quota struct {
		Used struct{ Storage int64 } `json:"used"`
	}
	if err := json.Unmarshal(call(t, srv, "GET", fmt.Sprintf("/quotas/%d", pid), "", http.StatusOK), &quota); err != nil {
		t.Fatal(err)
	}
	// Room for one more image (2014 bytes) at 85 % or more, not for two.
	call(t, srv, "PUT", fmt.Sprintf("/quotas/%d", pid), fmt.Sprintf(`{"hard":{"storage":%d}}`, quota.Used.Storage+2300), http.StatusOK)
	if srv.AddImage("whk1", "quota", "1.0") == "" { // 95 %: w160, w164
		t.Fatal("quota:1.0 refused")
	}
	if srv.AddImage("whk1", "quota", "1.1") != "" { // over: w172, w173
		t.Fatal("quota:1.1 not refused")
	}
	if err := srv.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	return srv, rc
}

// counterpart is the recorded delivery that harbortest's delivery of the
// same step should match: format, event type and, where a type has
// variants, the one of the step.
var counterpart = map[string]string{
	"Default PUSH_ARTIFACT app": "w011", "CloudEvents PUSH_ARTIFACT app": "w009", "slack PUSH_ARTIFACT app": "w012",
	"Default PUSH_ARTIFACT multi": "w022", "CloudEvents PUSH_ARTIFACT multi": "w021",
	"Default PULL_ARTIFACT app": "w049", "CloudEvents PULL_ARTIFACT app": "w050",
	"Default PULL_ARTIFACT multi": "w033", "CloudEvents PULL_ARTIFACT multi": "w034",
	"Default SCANNING_COMPLETED": "w059", "CloudEvents SCANNING_COMPLETED": "w058",
	"Default SCANNING_FAILED": "w083", "CloudEvents SCANNING_FAILED": "w084",
	"Default SCANNING_STOPPED": "w087", "CloudEvents SCANNING_STOPPED": "w086",
	"Default DELETE_ARTIFACT": "w154", "CloudEvents DELETE_ARTIFACT": "w153",
	"Default TAG_RETENTION": "w145", "CloudEvents TAG_RETENTION": "w146",
	"Default REPLICATION Running": "w096", "CloudEvents REPLICATION Running": "w095",
	"Default REPLICATION Success": "w134", "CloudEvents REPLICATION Success": "w133",
	"Default QUOTA_WARNING": "w160", "CloudEvents QUOTA_WARNING": "w164",
	"Default QUOTA_EXCEED": "w172", "CloudEvents QUOTA_EXCEED": "w173",
}

// sameValue lists the fields whose values do not depend on ids, digests,
// times or ports: harbortest must send what Harbor sent.
var sameValue = map[string]bool{
	"type": true, "operator": true, "specversion": true, "datacontenttype": true, "name": true, "namespace": true,
	"repo_full_name": true, "repo_type": true, "scan_type": true, "scan_status": true, "severity": true, "complete_percent": true,
	"harbor_hostname": true, "job_status": true, "description": true, "artifact_type": true, "authentication_type": true,
	"override_mode": true, "trigger_type": true, "policy_creator": true, "registry_type": true, "registry_name": true,
	"project_name": true, "template": true, "kind": true, "decoration": true, "pattern": true, "extras": true,
	"result": true, "status": true, "summary": true, "total": true, "fixable": true, "params": true,
}

// knownDifferences are the fields harbortest sends differently, and why
// (docs/webhooks.md).
var knownDifferences = map[string]bool{
	// harbortest's retention keeps every artifact: nothing deleted, all
	// retained; it counts the artifacts of every repository, not of the rule's scope.
	"TAG_RETENTION retention.deleted_artifact": true, "TAG_RETENTION retention.total": true,
	// harbortest's replication copies nothing: no references, no item count.
	"REPLICATION replication.successful_artifact[].name_tag": true, "REPLICATION replication.successful_artifact[].references[]": true,
}

// sameShape walks the recorded JSON and harbortest's together: the same
// keys at every level, the same kinds of values, and the same values where
// sameValue says they do not depend on the data.
func sameShape(t *testing.T, where, typ, path string, got, want any) {
	t.Helper()
	if known(typ, path) {
		return
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("%s: %s is %T, recorded an object", where, path, got)
			return
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		for k := range keys {
			wv, wok := w[k]
			if strings.HasSuffix(path, "scan_overview") && len(w) > 0 { // recorded failed scans have one report type
				for _, first := range w {
					wv, wok = first, true
					break
				}
			}
			gv, gok := g[k]
			switch {
			case !gok && !known(typ, path+"."+k):
				t.Errorf("%s: %s.%s missing (recorded %v)", where, path, k, wv)
			case !wok:
				t.Errorf("%s: %s.%s = %v not in the recording", where, path, k, gv)
			case gok:
				if sameValue[k] && !known(typ, path+"."+k) && !reflect.DeepEqual(gv, wv) && !strings.HasSuffix(path, "scan_overview") {
					t.Errorf("%s: %s.%s = %v, recorded %v", where, path, k, gv, wv)
				}
				sameShape(t, where, typ, path+"."+k, gv, wv)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) == 0 != (len(w) == 0) {
			t.Errorf("%s: %s = %v, recorded %v", where, path, got, want)
			return
		}
		if len(w) > 0 {
			sameShape(t, where, typ, path+"[]", g[0], w[0])
		}
	default:
		if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) {
			t.Errorf("%s: %s = %v (%T), recorded %v (%T)", where, path, got, got, want, want)
		}
		if s, ok := want.(string); ok && strings.Contains(s, "/whk1/") { // resource_url: host and port differ
			if g, _ := got.(string); g[strings.Index(g, "/"):] != s[strings.Index(s, "/"):] {
				t.Errorf("%s: %s = %s, recorded %s", where, path, g, s)
			}
		}
	}
}

// known reports whether the field at path (".event_data.x" or ".data.x")
// is one of the knownDifferences.
func known(typ, path string) bool {
	_, field, _ := strings.Cut(strings.TrimPrefix(path, "."), ".")
	return knownDifferences[typ+" "+field]
}

var digitsAndHex = regexp.MustCompile(`[0-9a-f]{64}|[0-9]+`)

func TestHarbortestDeliveriesMatchRecorded(t *testing.T) {
	_, rc := fireRecordedScenario(t)
	recorded := map[string]webhook.Delivery{}
	for _, d := range webhook.LoadDeliveries(t) {
		recorded[d.Name()[:4]] = d
	}
	matched, seen, sboms := map[string]int{}, map[string]bool{}, 0
	attempts := map[string][][]byte{}
	for i, d := range rc.got {
		where := fmt.Sprintf("delivery %d to %s", i, d.path)
		if len(d.header.Values("Authorization")) > 1 {
			t.Errorf("%s: Authorization %q", where, d.header.Values("Authorization"))
		}
		for k := range d.header {
			if strings.HasPrefix(strings.ToLower(k), "ce-") {
				t.Errorf("%s: header %s", where, k)
			}
		}
		if d.path == "/slack" {
			_, err := webhook.Decode(d.body)
			rec := recorded["w012"]
			if err == nil || d.header.Get("Authorization") != "" || d.header.Get("Content-Type") != "application/json" {
				t.Errorf("%s: Slack body decoded (%v) or headers %v", where, err, d.header)
			}
			if bytes.Contains(d.body, []byte("PUSH_ARTIFACT")) && bytes.Contains(d.body, []byte("app:1.0")) {
				matched["slack PUSH_ARTIFACT app"]++
				if g, w := digitsAndHex.ReplaceAll(d.body, nil), digitsAndHex.ReplaceAll(rec.Body(), nil); !bytes.Equal(g, w) {
					t.Errorf("%s: Slack body\n%s\nrecorded\n%s", where, d.body, rec.Body())
				}
			}
			continue
		}
		ev, err := webhook.Decode(d.body)
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		webhook.CheckAgainstRaw(t, where, d.body, ev)
		seen[string(ev.Format)+" "+string(ev.Type)] = true
		if d.path == "/fail500" {
			attempts[ev.Key] = append(attempts[ev.Key], d.body)
			continue
		}
		key := string(ev.Format) + " " + string(ev.Type)
		switch {
		case ev.Data.Repository != nil && (ev.Type == webhook.PushArtifact || ev.Type == webhook.PullArtifact):
			key += " " + ev.Data.Repository.Name
		case ev.Data.Replication != nil:
			key += " " + ev.Data.Replication.JobStatus
		case ev.Data.Scan != nil && ev.Data.Scan.ScanType == "sbom":
			sboms++
			continue // no SBOM scan was recorded
		}
		name, ok := counterpart[key]
		if !ok {
			continue // pushes of the scan fixtures: their counterparts are the app push's
		}
		matched[key]++
		rec := recorded[name]
		for _, h := range []string{"Content-Type", "Authorization"} {
			if d.header.Get(h) != rec.Header().Get(h) {
				t.Errorf("%s: %s %q, recorded %q", where, h, d.header.Get(h), rec.Header().Get(h))
			}
		}
		sameShape(t, where+" vs "+name, string(ev.Type), "", webhook.Generic(t, d.body), webhook.Generic(t, rec.Body()))
	}
	var missing []string
	for k := range counterpart {
		if matched[k] == 0 {
			missing = append(missing, k)
		}
	}
	if len(seen) != 20 || sboms != 2 {
		t.Errorf("%d SBOM scan events, want 2 (Default and CloudEvents)", sboms)
	}
	if len(seen) != 20 {
		t.Errorf("%d format and event type pairs fired, want all 20: %v", len(seen), seen)
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("no delivery for %v", missing)
	}
	if len(attempts) != 5 { // app, multi, failscan, slowscan, quota pushes
		t.Errorf("%d events to the failing target, want 5", len(attempts))
	}
	for k, bodies := range attempts {
		if len(bodies) != 3 || !bytes.Equal(bodies[0], bodies[1]) || !bytes.Equal(bodies[0], bodies[2]) {
			t.Errorf("event %s: %d attempts, want 3 with the same bytes", k, len(bodies))
		}
	}
	t.Logf("%d deliveries from harbortest decode; %d compared field by field with recorded ones", len(rc.got), len(matched))
}
