package harbortest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// Seeds, steps and exceptions of the conformance replay for the resources
// of members.go, usergroups.go, metadata.go, labels.go, quotas.go,
// registries.go, replication.go, retention.go, immutable.go, webhooks.go,
// scanners.go, allowlists.go and gc.go. init adds them to the tables of
// conformance_test.go and conformance_cases_test.go, so that each list
// stays beside the handlers it is about.

// unreachableEndpoints are the URLs nothing listened on while recording
// (Harbor's pings failed: b120, b123, b177, b180, b327-b330, 70), and
// http://127.0.0.1:8080, core's own URL, which Harbor refuses as a "harbor"
// endpoint with basic credentials (b122).
var unreachableEndpoints = []string{
	"http://127.0.0.1:15999", "http://127.0.0.1:15995", "http://127.0.0.1:15994",
	"http://127.0.0.1:15996", "http://127.0.0.1:15993", "http://127.0.0.1:8080",
}

var resourceSeeds = map[string]func(*harbortest.Server){
	"b120_create_registry_dummy_unreachable": func(srv *harbortest.Server) {
		for _, u := range unreachableEndpoints {
			srv.MarkRegistryUnreachable(u)
		}
	},
	"70_registries_ping": func(srv *harbortest.Server) { srv.MarkRegistryUnreachable("http://127.0.0.1:15001") },
}

// recordedScanners names the scanner registrations of the recording by
// their (random) uuid, so the replay can find ours by name.
var recordedScanners = map[string]string{
	"ac799c96-ec72-11f1-99cc-8a9a9ca442d4": "fake-scanner",
	"b4fada7d-ec72-11f1-99cc-8a9a9ca442d4": "fake-scanner", // registered again after ac799c96 was deleted
	"b50ac985-ec72-11f1-99cc-8a9a9ca442d4": "fake-scanner-basic",
}

// scannerUUIDs remembers, per server, which of our uuids a recorded one became.
var scannerUUIDs = map[*harbortest.Server]map[string]string{}

// ourScannerUUID finds the uuid of our registration called name.
func ourScannerUUID(srv *harbortest.Server, recorded string) string {
	known := scannerUUIDs[srv]
	if known == nil {
		known = map[string]string{}
		scannerUUIDs[srv] = known
	}
	if u, ok := known[recorded]; ok {
		return u
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/v2.0/scanners?page_size=0", nil)
	req.SetBasicAuth("admin", srv.AdminPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return recorded
	}
	defer resp.Body.Close()
	var list []struct{ Name, UUID string }
	if json.NewDecoder(resp.Body).Decode(&list) != nil {
		return recorded
	}
	for _, sc := range list {
		if sc.Name == recordedScanners[recorded] {
			known[recorded] = sc.UUID
			return sc.UUID
		}
	}
	return recorded
}

// mapScannerUUIDs replaces recorded scanner uuids in the path and body.
func mapScannerUUIDs(rp *replay, r *http.Request) {
	var body string
	if r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
	}
	for rec := range recordedScanners {
		if strings.Contains(r.URL.Path, rec) || strings.Contains(body, rec) {
			ours := ourScannerUUID(rp.srv, rec)
			r.URL.Path = strings.ReplaceAll(r.URL.Path, rec, ours)
			body = strings.ReplaceAll(body, rec, ours)
		}
	}
	if r.Body != nil {
		r.Body = io.NopCloser(strings.NewReader(body))
		r.ContentLength = int64(len(body))
	}
}

// mapQueryIDs maps ids in query parameters the replay's own id mapping
// does not know: reference_id (a project) and policy_id (a replication policy).
func mapQueryIDs(rp *replay, r *http.Request) {
	q := r.URL.Query()
	for param, kind := range map[string]string{"reference_id": "/projects/", "policy_id": "/replication/policies/"} {
		if v := q.Get(param); v != "" {
			q.Set(param, rp.ourID(kind, v))
		}
	}
	r.URL.RawQuery = q.Encode()
}

// retentionRunTime: the project id, and the next run, which depends on the clock.
var retentionRunTime = []string{"scope.ref", "trigger.settings.next_scheduled_time"}

// scheduleRunTime: a schedule's next run depends on the clock.
var scheduleRunTime = []string{"schedule.next_scheduled_time"}

// localRegistryURL: a policy's "Local" registry is this server, at its own URL.
var localRegistryURL = []string{"[0].src_registry.url", "[1].dest_registry.url", "src_registry.url"}

var resourceSteps = map[string]step{
	"b485_get_scanner":                                   {prepare: mapScannerUUIDs},
	"b486_get_scanner_metadata":                          {prepare: mapScannerUUIDs},
	"b488_set_scanner_default":                           {prepare: mapScannerUUIDs},
	"b496_set_project_scanner_back":                      {prepare: mapScannerUUIDs},
	"b500_delete_scanner_default":                        {prepare: mapScannerUUIDs},
	"b507_set_scanner_default_again":                     {prepare: mapScannerUUIDs},
	"b508_set_project_scanner_second":                    {prepare: mapScannerUUIDs},
	"b510_update_scanner_disable":                        {prepare: mapScannerUUIDs},
	"b511_get_scanner_after_update":                      {prepare: mapScannerUUIDs},
	"b515_delete_scanner_in_use_by_project":              {prepare: mapScannerUUIDs},
	"b516_delete_scanner_again":                          {prepare: mapScannerUUIDs, skip: []string{"errors"}},
	"p148_quota_of_project":                              {prepare: mapQueryIDs},
	"b211_list_quotas_reference_project":                 {prepare: mapQueryIDs},
	"b197_list_replication_executions":                   {prepare: mapQueryIDs},
	"b269_get_retention":                                 {skip: []string{"scope.ref"}},
	"b272_get_retention_after_update":                    {skip: retentionRunTime},
	"b365_get_retention_with_bad_template":               {skip: []string{"scope.ref"}},
	"b519_get_retention_capart1_before_delete":           {skip: retentionRunTime},
	"b396_gc_schedule_get_after_put":                     {skip: scheduleRunTime},
	"b411_purge_schedule_get_after_put":                  {skip: scheduleRunTime},
	"b413_purge_schedule_get_after_none":                 {skip: scheduleRunTime},
	"b474_purge_schedule_get_after_none_with_parameters": {skip: scheduleRunTime},
	"b189_list_replication_policies":                     {skip: localRegistryURL},
	"b190_list_replication_policies_q":                   {skip: localRegistryURL},
	"b191_get_replication_policy":                        {skip: localRegistryURL},
	"b194_get_replication_policy_after_update":           {skip: localRegistryURL},
}

// resourceExceptions are captures of these resources that are not compared.
var resourceExceptions = map[string]string{
	// ids in messages: the recorded database had other ids
	"b062_get_member_not_found":                        "message names project id 1009 of the recording",
	"b066_get_member_after_update":                     "message names project id 1009 of the recording",
	"b072_get_deleted_member":                          "message names project id 1009 of the recording",
	"b296_get_webhook_policy_other_project":            "message names project id 1010 of the recording",
	"b110_delete_label_again":                          "message names label id 7; the recorded database had used one more label id",
	"b161_start_replication_execution_disabled_policy": "message names policy id 2 of the recording",
	"b264_create_retention_second_for_same_project":    "message names project id 1009 of the recording",
	"b266_create_retention_bad_cron":                   "message names project id 1010 of the recording",
	"b207_delete_replication_policy_again":             "message names policy id 2; the recorded database had used one more policy id",
	"u113_delete_self_as_admin":                        "message names user id 28 of the recording",
	// random ids
	"b479_create_scanner_fake":                        "Location holds a random registration uuid",
	"b505_create_scanner_fake_again":                  "Location holds a random registration uuid",
	"b506_create_scanner_second_localhost_basic_auth": "Location holds a random registration uuid",
	// what needs a real registry, jobservice or pushes
	"b178_ping_registry_by_url_harbor_core_url_as_basic": "Harbor's own URL (127.0.0.1:8080 recorded) is only marked unreachable here: 400, not Harbor's empty 500",
	"b196_get_replication_execution_running":             "executions finish at once here (Succeed), Harbor's was still InProgress",
	"b199_list_replication_tasks":                        "harbortest copies nothing: 0 items, and a random job id",
	"b275_list_retention_executions":                     "executions finish at once here (Success), Harbor's was still Running",
	"b367_list_retention_executions_bad_template":        "executions finish at once here (Success), Harbor's was still Running",
	"b278_get_retention_task_log":                        "job log text carries the run's time",
	"b200_get_replication_task_log":                      "job log text (harbortest copies nothing)",
	"b203_list_artifacts_replicated_target":              "replication copies no artifacts",
	"b391_gc_get_log":                                    "job log text carries the run's time",
	"b407_purge_get_log":                                 "job log text carries the run's time",
	"66_gc_run_now":                                      "set 1's Harbor had no jobservice: its GC failed with 500",
	"b210_list_quotas":                                   "used storage counts pushed blobs; harbortest counts the seeded artifacts' sizes",
	"b212_list_quotas_sort_used_storage":                 "used storage counts pushed blobs; harbortest counts the seeded artifacts' sizes",
	"b213_get_quota":                                     "used storage counts pushed blobs; harbortest counts the seeded artifacts' sizes",
	"b221_get_quota_after_update":                        "used storage counts pushed blobs; harbortest counts the seeded artifacts' sizes",
	"p148_quota_of_project":                              "used storage counts pushed blobs; harbortest counts the seeded artifacts' sizes",
	"b211_list_quotas_reference_project":                 "used storage counts pushed blobs; harbortest counts the seeded artifacts' sizes",
	"b277_list_retention_tasks": "a task per repository: capart1 still holds tools, which the recording deleted " +
		"in p169 (deleteRepository, not served yet)",
	// webhook deliveries: the recorded ones came from registry pushes and pulls
	"b299_webhook_last_trigger":                      "the recorded events came from pushes and pulls through the registry (/v2), which harbortest does not serve",
	"b300_list_webhook_executions":                   "the recorded events came from pushes and pulls through the registry (/v2), which harbortest does not serve",
	"b301_list_webhook_tasks":                        "the recorded events came from pushes and pulls through the registry (/v2), which harbortest does not serve",
	"b302_get_webhook_task_log":                      "the recorded events came from pushes and pulls through the registry (/v2), which harbortest does not serve",
	"b303_list_webhook_executions_cloudevents":       "the recorded events came from pushes and pulls through the registry (/v2), which harbortest does not serve",
	"b304_list_webhook_jobs_deprecated":              "the recorded events came from pushes and pulls through the registry (/v2), which harbortest does not serve",
	"b307_delete_webhook_policy":                     "the recorded policy had an execution still Running (a registry push); here it has none, so deleting is 200",
	"b308_delete_webhook_policy_again":               "follows b307: the policy is gone (404), Harbor still refused (412)",
	"b359_list_webhook_executions_cloudevents_later": "follows b307: the policy is gone (404)",
	"b360_delete_webhook_policy_later":               "follows b307: the policy is gone (404)",
	"b362_list_webhook_executions_push_later":        "the recorded events came from pushes and pulls through the registry (/v2), which harbortest does not serve",
}

func init() {
	for name, seed := range resourceSeeds {
		if prev := seedBefore[name]; prev != nil {
			seed0 := seed
			seed = func(srv *harbortest.Server) { prev(srv); seed0(srv) }
		}
		seedBefore[name] = seed
	}
	for name, st := range resourceSteps {
		conformanceSteps[name] = st
	}
	for name, reason := range resourceExceptions {
		conformanceExceptions[name] = reason
	}
	// ids of other kinds in request bodies
	bodyIDKeys["ref"] = "/projects/"                   // retention scope
	bodyIDKeys["policy_id"] = "/replication/policies/" // replication executions
	// values that differ between runs
	ignoredKeys["uuid"] = true
	ignoredKeys["create_time"] = true
	ignoredKeys["start_time"] = true
	ignoredKeys["end_time"] = true
	ignoredKeys["policy_id"] = true
}
