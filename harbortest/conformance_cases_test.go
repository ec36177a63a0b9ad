package harbortest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// seedCaptureSet prepares the server a set of captures is replayed on, with
// what the recorded database held before the first capture.
func seedCaptureSet(set string, srv *harbortest.Server) {
	switch set {
	case "set1a":
		// a fresh database that held the 30 projects ka1..ka30
		for i := 1; i <= 30; i++ {
			srv.AddProject(fmt.Sprintf("ka%d", i), false)
		}
	case "set2":
		// projects left by other test runs (b458 lists them)
		for _, name := range []string{"acc-proj-600512756", "ci-example-pabxm5", "acc-proj-326155428"} {
			srv.AddProject(name, false)
		}
	}
}

// seedBefore changes a server's state where the recording changed Harbor's
// by other means than the API (pushes through /v2/), just before the named
// capture is replayed.
var seedBefore = map[string]func(*harbortest.Server){
	// a2_push.py pushed these between p008 and p010
	"p010_list_repositories_capart1": func(srv *harbortest.Server) {
		for _, r := range []string{"team/app", "multi", "charts/mychart", "sbom/report", "tools"} {
			srv.AddRepository("capart1", r)
		}
		srv.AddRepository("capart2", "web")
	},
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

func staleSid(_ *replay, r *http.Request) {
	r.AddCookie(&http.Cookie{Name: "sid", Value: "5b9f67a796d13789c1cfa8714a8dbb08"})
}

// conformanceSteps says how captures that need more than their recorded
// request are replayed (the recorder's cookies and form bodies were not
// written down), and which JSON paths are not compared.
var conformanceSteps = map[string]step{
	"50_csrf_basic_auth_plus_stale_sid_cookie_post": {prepare: staleSid},
	"52_csrf_login_c_login_with_token": {prepare: func(rp *replay, r *http.Request) {
		withCookies(false, true, true)(rp, r)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		body := url.Values{"principal": {"admin"}, "password": {rp.srv.AdminPassword}}.Encode()
		r.Body = io.NopCloser(strings.NewReader(body))
		r.ContentLength = int64(len(body))
	}},
	"53_session_cookie_get_users_current":        {prepare: withCookies(true, true, false)},
	"54_session_cookie_post_without_token":       {prepare: withCookies(true, true, false)},
	"55_session_cookie_post_with_token":          {prepare: withCookies(true, true, true)},
	"56_basic_auth_plus_unknown_sid_cookie_post": {prepare: staleSid},
	"57_basic_auth_plus_stale_sid_cookie_get":    {prepare: staleSid},
	// every component is healthy here; the shape of the list is compared
	"60_health": {skip: []string{"status", "components"}},
}

// conformanceExceptions lists captures of served operations that are not
// compared, each with its reason. To add one: name the capture (file name
// without .txt) and say why harbortest cannot or should not answer like the
// recording; CONFORMANCE.md repeats the reasons by group. An exception that
// starts passing fails TestConformance until it is removed.
var conformanceExceptions = map[string]string{}
