package harbortest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

const captureDir = "testdata/captures"

// replay is the state carried from one exchange to the next: robot secrets
// (recorded -> ours) and the cookies and CSRF token of the UI session flow.
type replay struct {
	srv        *harbortest.Server
	secrets    map[string]string
	csrfCookie string
	csrfToken  string
	sid        string
}

// step says how a covered capture is replayed.
type step struct {
	// prepare adjusts the request (cookies, CSRF token, form body).
	prepare func(*replay, *http.Request)
	// skip lists JSON paths (prefixes) whose values are not compared.
	skip []string
	note string
}

func withCookies(sid, csrf, token bool) func(*replay, *http.Request) {
	return func(rp *replay, r *http.Request) {
		if sid {
			v := rp.sid
			if v == "" {
				v = "0123456789abcdef0123456789abcdef" // stale or unknown session
			}
			r.AddCookie(&http.Cookie{Name: "sid", Value: v})
		}
		if csrf && rp.csrfCookie != "" {
			r.AddCookie(&http.Cookie{Name: "_gorilla_csrf", Value: rp.csrfCookie})
		}
		if token {
			r.Header.Set("X-Harbor-Csrf-Token", rp.csrfToken)
		}
	}
}

func staleSid(rp *replay, r *http.Request) {
	r.AddCookie(&http.Cookie{Name: "sid", Value: "5b9f67a796d13789c1cfa8714a8dbb08"})
}

// covered lists every capture the conformance test replays. Captures named
// "a..." were recorded against a fresh database and are replayed on a
// second server seeded with the 30 projects that database held (ka1..ka30).
var covered = map[string]step{
	"01_ping": {}, "02_systeminfo": {}, "02b_systeminfo_anonymous": {},
	"02c_users_current_anonymous": {}, "02d_users_current_badpassword": {},
	"03_users_current": {}, "04_permissions": {},
	"05_create_project_sdktest1": {}, "05b_create_project_sdktest2": {}, "05c_create_project_duplicate": {},
	"06_list_projects_page1_size1": {}, "06b_list_projects_page2_size1": {},
	"07_head_project": {}, "08_get_project_by_name": {},
	"10_create_system_robot": {}, "11_create_system_robot_duplicate": {},
	"12_create_robot_bad_secret_short": {}, "13_create_robot_never_expires": {},
	"14_create_robot_duration_zero": {}, "15_create_robot_bad_name_upper": {},
	"16_create_robot_bad_permission": {}, "17_create_project_robot": {},
	"18_create_robot_name_with_prefix": {}, "19_create_robot_missing_permissions": {},
	"19b_create_robot_bad_level": {}, "19c_create_robot_malformed_json": {},
	"20_robot_generated_secret_users_current": {}, "20b_robot_generated_secret_list_projects": {},
	"24_refresh_secret_custom": {}, "25_robot_auth_custom_secret_create_project": {},
	"27_refresh_secret_bad_short": {}, "28_refresh_secret_generated": {},
	"29_get_robot": {}, "30_list_robots": {}, "31_list_robots_project": {},
	"32_refresh_secret_custom_again": {}, "33_robot_custom_secret_users_current": {},
	"34_robot_custom_secret_create_project": {}, "35_robot_list_users_no_permission": {},
	"36_robot_create_robot_no_permission": {}, "37_robot_list_projects": {},
	"38_robot_old_generated_secret_rejected_users_current":   {},
	"39_robot_wrong_secret_list_projects_anonymous_fallback": {},
	"39b_admin_wrong_password_list_projects":                 {}, "39c_robot_delete_project_no_permission": {},
	"40_project_robot_list_repos": {}, "41_project_robot_create_project_forbidden": {},
	"42_get_project_robot": {}, "43_update_robot_put": {}, "43b_get_after_put": {},
	"44_update_robot_put_short_name": {}, "45_delete_robot": {}, "46_get_deleted_robot": {},
	"47_delete_deleted_robot": {}, "48_get_project_created_by_robot": {},
	"50_csrf_basic_auth_plus_stale_sid_cookie_post": {prepare: staleSid},
	"51_csrf_login_c_login_no_token":                {},
	"52_csrf_login_c_login_with_token": {prepare: func(rp *replay, r *http.Request) {
		withCookies(false, true, true)(rp, r)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		body := url.Values{"principal": {"admin"}, "password": {rp.srv.AdminPassword}}.Encode()
		r.Body = io.NopCloser(strings.NewReader(body))
		r.ContentLength = int64(len(body))
	}, note: "form body not recorded; principal/password sent"},
	"53_session_cookie_get_users_current":        {prepare: withCookies(true, true, false)},
	"54_session_cookie_post_without_token":       {prepare: withCookies(true, true, false)},
	"55_session_cookie_post_with_token":          {prepare: withCookies(true, true, true)},
	"56_basic_auth_plus_unknown_sid_cookie_post": {prepare: staleSid},
	"57_basic_auth_plus_stale_sid_cookie_get":    {prepare: staleSid},
	"60_health": {skip: []string{"status", "components"},
		note: "all components healthy here; shape of the list checked"},
	"61_statistics": {}, "71_configurations": {}, "72_project_summary": {},
	"73_repositories": {}, "74_users_list": {}, "75_create_user": {}, "76_audit_logs": {},
	"84_delete_project": {}, "85_get_project_not_found": {}, "89_list_robots_page2": {},
	"90_disable_robot_put": {}, "91_disabled_robot_create_project": {},
	"92_enable_robot_put": {}, "93_reenabled_robot_create_project": {},
	"94_refresh_secret_not_found":    {},
	"a01_create_system_robot_sysbot": {}, "a02_refresh_secret_sysbot": {},
	"a03_create_project_capproj": {}, "a04_create_project_robot_pbot": {},
	"a05_refresh_secret_pbot": {}, "a10_users_current_permissions_admin": {},
	"a11_users_current_permissions_sysbot": {}, "a12_users_current_permissions_wrong_secret": {},
	"a13_users_current_permissions_anonymous": {}, "a14_users_current_permissions_pbot_scoped": {},
	"a15_robots_q_exact_name": {}, "a16_robots_q_fuzzy_name": {}, "a17_robots_q_full_name": {},
	"a18_robots_q_level_project": {}, "a19_projects_name_filter": {}, "a20_projects_q_fuzzy": {},
	"a21_head_project_missing": {}, "a22_configurations_as_sysbot": {}, "a23_ping_wrong_creds": {},
	"a24_sysbot_list_projects": {}, "a25_pbot_list_repositories": {}, "a26_pbot_get_project": {},
	"a27_sysbot_get_robot_self": {}, "a28_systeminfo_sysbot": {},
	"a29_list_projects_page_size_100_chunked": {}, "a30_list_projects_page_size_101": {},
	"a31_list_projects_page_zero": {},
}

// outOfScope lists the captures harbortest does not serve, with the reason.
var outOfScope = map[string]string{
	"62_systeminfo_volumes":     "storage volumes: no registry storage in memory",
	"63_systeminfo_getcert":     "registry CA certificate: not served",
	"64_gc_history":             "garbage collection: needs jobservice",
	"65_gc_schedule_get":        "garbage collection: needs jobservice",
	"66_gc_run_now":             "garbage collection: needs jobservice",
	"67_jobservice_pools":       "jobservice monitoring: not served",
	"68_scanners":               "scanners: not served",
	"69_registries":             "replication registries: not served",
	"70_registries_ping":        "replication registries: not served",
	"77_project_members":        "project members API: not served (seed with AddProjectMember)",
	"78_quotas":                 "quotas API: not served",
	"79_v2_catalog":             "Docker registry API (/v2): not served",
	"80_service_token":          "registry token service (/service/token): not served",
	"81_replication_policies":   "replication: not served",
	"82_scan_all_schedule_post": "scan-all: needs scanners",
	"83_purgeaudit_run":         "audit log purge: needs jobservice",
	"86_labels":                 "labels: not served",
	"87_ldap_ping":              "LDAP: not served",
	"88_icons":                  "icons: not served",
}

var secretRe = regexp.MustCompile(`"secret":"([^"]+)"`)

// ignoredKeys hold values that differ between runs (ids, dates, secrets,
// addresses); only their presence and type are compared.
var ignoredKeys = map[string]bool{
	"id": true, "project_id": true, "user_id": true, "creation_time": true, "update_time": true,
	"secret": true, "expires_at": true, "current_time": true, "external_url": true,
	"registry_url": true, "op_time": true, "push_time": true,
}

func TestConformance(t *testing.T) {
	order, err := captureOrder(captureDir)
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(captureDir, "*.txt"))
	require.NoError(t, err)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		if name == "INDEX" {
			continue
		}
		_, c := covered[name]
		_, o := outOfScope[name]
		require.Truef(t, c != o, "capture %s must be either covered or out of scope", name)
	}

	mainSrv := harbortest.NewServer()
	defer mainSrv.Close()
	freshSrv := harbortest.NewServer()
	defer freshSrv.Close()
	for i := 1; i <= 30; i++ {
		freshSrv.AddProject(fmt.Sprintf("ka%d", i), false)
	}
	replays := map[*harbortest.Server]*replay{
		mainSrv:  {srv: mainSrv, secrets: map[string]string{}},
		freshSrv: {srv: freshSrv, secrets: map[string]string{}},
	}

	pass, total := 0, 0
	var failed []string
	for _, name := range order {
		st, ok := covered[name]
		if !ok {
			continue
		}
		total++
		srv := mainSrv
		if strings.HasPrefix(name, "a") {
			srv = freshSrv
		}
		exs, err := parseCapture(filepath.Join(captureDir, name+".txt"))
		require.NoError(t, err, name)
		var problems []string
		for _, ex := range exs {
			problems = append(problems, replayExchange(t, replays[srv], st, ex)...)
		}
		if len(problems) == 0 {
			pass++
		} else {
			failed = append(failed, name)
			t.Errorf("%s:\n  %s", name, strings.Join(problems, "\n  "))
		}
	}
	t.Logf("conformance: %d/%d captures pass (%d out of scope)", pass, total, len(outOfScope))
	if len(failed) > 0 {
		t.Logf("failing: %s", strings.Join(failed, ", "))
	}
}

func replayExchange(t *testing.T, rp *replay, st step, ex exchange) []string {
	t.Helper()
	var body io.Reader
	if ex.ReqBody != "" {
		body = strings.NewReader(ex.ReqBody)
	}
	req, err := http.NewRequest(ex.Method, rp.srv.URL+ex.Path, body)
	require.NoError(t, err)
	for k, v := range ex.ReqHeader {
		req.Header.Set(k, v)
	}
	if ex.HasAuth {
		pass := ex.AuthPass
		if s, ok := rp.secrets[pass]; ok {
			pass = s
		}
		req.SetBasicAuth(ex.AuthUser, pass)
	}
	if st.prepare != nil {
		st.prepare(rp, req)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)

	// carry state forward
	if m := secretRe.FindSubmatch([]byte(ex.RespBody)); m != nil {
		if g := secretRe.FindSubmatch(got); g != nil {
			rp.secrets[string(m[1])] = string(g[1])
		}
	}
	if tok := resp.Header.Get("X-Harbor-Csrf-Token"); tok != "" {
		rp.csrfToken = tok
	}
	for _, c := range resp.Cookies() {
		switch c.Name {
		case "_gorilla_csrf":
			rp.csrfCookie = c.Value
		case "sid":
			if strings.HasPrefix(ex.Path, "/c/login") {
				rp.sid = c.Value
			}
		}
	}
	return compareResponse(ex, st, resp, got)
}

func compareResponse(ex exchange, st step, resp *http.Response, got []byte) []string {
	var p []string
	if resp.StatusCode != ex.Status {
		p = append(p, fmt.Sprintf("status: want %d, got %d (%.300s)", ex.Status, resp.StatusCode, got))
		return p
	}
	first := func(k string) string {
		if v := ex.RespHeader[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	for _, k := range []string{"Content-Type", "X-Total-Count", "Link"} {
		if w, g := first(k), resp.Header.Get(k); w != g {
			p = append(p, fmt.Sprintf("header %s: want %q, got %q", k, w, g))
		}
	}
	digits := regexp.MustCompile(`[0-9]+`)
	if w, g := digits.ReplaceAllString(first("Location"), "N"), digits.ReplaceAllString(resp.Header.Get("Location"), "N"); w != g {
		p = append(p, fmt.Sprintf("header Location: want %q, got %q", first("Location"), resp.Header.Get("Location")))
	}
	for _, k := range []string{"X-Request-Id", "X-Harbor-Csrf-Token", "Vary"} {
		if (first(k) != "") != (resp.Header.Get(k) != "") {
			p = append(p, fmt.Sprintf("header %s: present in capture %v, here %v", k, first(k) != "", resp.Header.Get(k) != ""))
		}
	}
	for _, c := range []string{"sid", "_gorilla_csrf"} {
		want, have := false, false
		for _, v := range ex.RespHeader["Set-Cookie"] {
			want = want || strings.HasPrefix(v, c+"=")
		}
		for _, v := range resp.Header.Values("Set-Cookie") {
			have = have || strings.HasPrefix(v, c+"=")
		}
		if want != have {
			p = append(p, fmt.Sprintf("cookie %s: set in capture %v, here %v", c, want, have))
		}
	}
	gotBody := strings.TrimSpace(string(got))
	if ex.RespBody == "" || ex.Method == http.MethodHead {
		if gotBody != "" {
			p = append(p, fmt.Sprintf("body: want empty, got %.200q", gotBody))
		}
		return p
	}
	var w, g any
	if err := json.Unmarshal([]byte(ex.RespBody), &w); err != nil {
		return append(p, "capture body is not JSON: "+err.Error())
	}
	if err := json.Unmarshal(got, &g); err != nil {
		return append(p, fmt.Sprintf("body is not JSON: %v: %q", err, got))
	}
	compareJSON("", w, g, st.skip, &p)
	return p
}

// compareJSON checks that got has the keys, types and array lengths of want,
// and the same values except for ignoredKeys and skipped paths.
func compareJSON(path string, want, got any, skip []string, p *[]string) {
	for _, s := range skip {
		if path == s || strings.HasPrefix(path, s+".") || strings.HasPrefix(path, s+"[") {
			if fmt.Sprintf("%T", want) != fmt.Sprintf("%T", got) {
				*p = append(*p, fmt.Sprintf("%s: want type %T, got %T", path, want, got))
			}
			return
		}
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*p = append(*p, fmt.Sprintf("%s: want object, got %T", path, got))
			return
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			wv, wok := w[k]
			gv, gok := g[k]
			sub := strings.TrimPrefix(path+"."+k, ".")
			switch {
			case !wok:
				*p = append(*p, fmt.Sprintf("%s: unexpected key", sub))
			case !gok:
				*p = append(*p, fmt.Sprintf("%s: missing key", sub))
			case ignoredKeys[k]:
				if fmt.Sprintf("%T", wv) != fmt.Sprintf("%T", gv) {
					*p = append(*p, fmt.Sprintf("%s: want type %T, got %T", sub, wv, gv))
				}
			default:
				compareJSON(sub, wv, gv, skip, p)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			*p = append(*p, fmt.Sprintf("%s: want array, got %T", path, got))
			return
		}
		if len(w) != len(g) {
			*p = append(*p, fmt.Sprintf("%s: want %d items, got %d", path, len(w), len(g)))
			return
		}
		for i := range w {
			compareJSON(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], skip, p)
		}
	default:
		if fmt.Sprintf("%T", want) != fmt.Sprintf("%T", got) || fmt.Sprint(want) != fmt.Sprint(got) {
			*p = append(*p, fmt.Sprintf("%s: want %v, got %v", path, want, got))
		}
	}
}

func TestCapturesCopied(t *testing.T) {
	// the recorded data must stay next to the test that uses it
	_, err := os.Stat(filepath.Join(captureDir, "README.md"))
	require.NoError(t, err)
}
