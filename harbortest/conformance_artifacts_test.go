package harbortest_test

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// Conformance of the repository, artifact, scan and security-hub
// operations served by repositories.go, artifacts.go, sbom.go and scans.go,
// kept beside them so that conformance_cases_test.go stays the router's:
// the seed of what the recording pushed through /v2/ (seedPushes, from the
// recorded artifact JSON), the router's push exceptions that now pass, and
// the exceptions that remain, with their reasons. An exception that starts
// passing fails TestConformance, so these lists cannot go stale.
//
// The v captures that stay exceptions carry the fake scanner's report ids
// and times, which the replay does not map, or need an index's children
// scanned with it and the security hub over the recording's scans.

const (
	reasonPushedFixture  = "the message names the recording's project id (1009, 1010), which the replay does not map"
	reasonScannedFixture = "the fake scanner's report ids and times (not mapped by the replay), index children scanned " +
		"with their index, security hub figures over the recording's scans"
)

// passingNow are exceptions of conformance_cases_test.go that pass since
// artifacts.go and repositories.go serve them on the seed of seedPushes
// (the pushed artifacts; projects' repo_count: b111, b346; v057).
var passingNow = []string{
	"b111_get_project_after_public_metadata_deleted",
	"b346_get_project_after_cve_allowlist",
	"p010_list_repositories_capart1",
	"p011_list_repositories_capart1_page_size_1",
	"p012_list_repositories_capart1_page2_size_2",
	"p013_list_repositories_q_fuzzy_name",
	"p014_list_repositories_sort_name",
	"p015_list_repositories_puller_robot",
	"p016_list_repositories_nopull_robot",
	"p018_list_repositories_anonymous_public",
	"p032_list_artifacts_default",
	"p033_list_artifacts_with_tag_false",
	"p034_list_artifacts_with_accessory",
	"p035_list_artifacts_with_scan_overview_no_scanner",
	"p036_list_artifacts_with_signature_immutable",
	"p037_list_artifacts_q_tags_exact",
	"p038_list_artifacts_q_tags_fuzzy",
	"p039_list_artifacts_q_tags_star_tagged",
	"p041_list_artifacts_q_digest",
	"p042_list_artifacts_q_type_image",
	"p043_list_artifacts_page1_size1",
	"p044_list_artifacts_page2_size1",
	"p045_list_artifacts_page_size_0",
	"p047_list_artifacts_sort_push_time",
	"p048_list_artifacts_bad_q",
	"p049_list_artifacts_puller_robot",
	"p050_list_artifacts_nopull_robot",
	"p052_list_artifacts_anonymous_public",
	"p053_list_artifacts_repo_missing",
	"p054_list_artifacts_multi_index",
	"p055_list_artifacts_oci_report",
	"p095_list_artifacts_with_label",
	"p096_list_artifacts_q_labels",
	"p141_statistics_puller_robot",
	"p166_list_artifacts_after_last_deleted",
	"v057_scan_all_run_now_while_running",
}

// seedPushes replaces the repositories-only seed of p010 with what
// a2_push.py pushed: the repositories in push order (ids and list order as
// recorded) with their artifacts as later captures show them (AddArtifactJSON
// of p032, p054, p066, p067, p068, p075: digests, types, sizes, attributes,
// tags, times) and the pull counts. Accessories (cosign signature, subject
// referrer) and build histories are not seeded.
func seedPushes(srv *harbortest.Server) {
	seed := func(project, repo, capture string, reversed bool) {
		ex, err := parseCapture("../testdata/harbor-captures/set2/" + capture + ".txt")
		if err != nil {
			panic(err)
		}
		body := strings.TrimSpace(ex[0].RespBody)
		var arts []json.RawMessage
		if strings.HasPrefix(body, "[") {
			if err := json.Unmarshal([]byte(body), &arts); err != nil {
				panic(err)
			}
		} else {
			arts = []json.RawMessage{json.RawMessage(body)}
		}
		if reversed { // lists are newest first: seed the oldest first
			slices.Reverse(arts)
		}
		for _, a := range arts {
			if err := srv.AddArtifactJSON(project, repo, a); err != nil {
				panic(err)
			}
		}
	}
	seed("capart1", "team/app", "p032_list_artifacts_default", true)
	seed("capart1", "tools", "p068_get_artifact_crane_empty_platform", false)
	seed("capart1", "multi", "p054_list_artifacts_multi_index", true)
	seed("capart1", "charts/mychart", "p066_get_artifact_chart", false)
	for _, acc := range [][2]string{{"subject.accessory", "p069_get_artifact_accessory_sbom"},
		{"signature.cosign", "p070_get_artifact_accessory_cosign"}} {
		typ, capture := acc[0], acc[1]
		ex, err := parseCapture("../testdata/harbor-captures/set2/" + capture + ".txt")
		if err != nil {
			panic(err)
		}
		if err := srv.AddAccessoryJSON("capart1", "team/app", "1.0", typ, []byte(ex[0].RespBody)); err != nil {
			panic(err)
		}
	}
	seed("capart1", "sbom/report", "p067_get_artifact_oci_unknown", false)
	seed("capart2", "web", "p075_get_artifact_anonymous_public", false)
	body := func(capture string) string {
		ex, err := parseCapture("../testdata/harbor-captures/set2/" + capture + ".txt")
		if err != nil {
			panic(err)
		}
		return ex[0].RespBody
	}
	if err := srv.SetBuildHistoryJSON("capart1", "team/app", "1.0", []byte(body("p100_addition_build_history"))); err != nil {
		panic(err)
	}
	srv.SetChartFiles("capart1", "charts/mychart", "0.1.0", body("p105_addition_chart_values_yaml"), body("p106_addition_chart_readme"))
	harbortest.SetPullCount(srv, "capart1", "team/app", 3)
	harbortest.SetPullCount(srv, "capart1", "multi", 3)
	harbortest.SetPullCount(srv, "capart2", "web", 1)
}

func init() {
	seedBefore["p010_list_repositories_capart1"] = seedPushes
	// b254 pushed tag 1.0-rc2 onto team/app:1.0's manifest through /v2/.
	seedBefore["b255_create_tag_matching_immutable_rule"] = func(srv *harbortest.Server) {
		srv.AddTag("capart1", "team/app", "1.0", "1.0-rc2")
	}
	for _, name := range passingNow {
		delete(conformanceExceptions, name)
	}
	for _, name := range []string{
		"p094_add_label_to_other_project_artifact",
		"p104_addition_vulnerabilities_not_scanned",
	} {
		conformanceExceptions[name] = reasonPushedFixture
	}
	for _, name := range []string{
		"v002_get_artifact_scan_overview_while_running",
		"v003_scan_artifact_while_running",
		"v004_get_artifact_with_scan_overview",
		"v005_get_artifact_with_scan_overview_accept_v11",
		"v006_get_artifact_with_scan_overview_accept_native",
		"v009_vulnerabilities_addition_default_accept",
		"v010_vulnerabilities_addition_accept_v11",
		"v011_vulnerabilities_addition_accept_native",
		"v012_vulnerabilities_addition_accept_both",
		"v013_vulnerabilities_addition_accept_unknown",
		"v014_vulnerabilities_addition_puller_robot",
		"v016_scan_report_log",
		"v025_get_index_with_scan_overview",
		"v026_vulnerabilities_addition_index",
		"v028_get_artifact_with_sbom_overview",
		"v029_list_accessories_after_sbom",
		"v030_get_sbom_accessory_artifact",
		"v031_sbom_accessory_addition_sbom",
		"v034_security_summary",
		"v035_security_summary_dangerous",
		"v036_security_vul_list",
		"v037_security_vul_q_severity",
		"v038_security_vul_q_cvss_range",
		"v040_security_vul_q_project",
		"v050_get_artifact_scan_overview_with_allowlist",
	} {
		conformanceExceptions[name] = reasonScannedFixture
	}
}
