package harbortest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

// captureDir holds every recorded exchange with Harbor v2.15.2: set 1 at the
// top, set 2 in set2/, set 3 in set3/, set 4 in set4/ (see the README.md of each).
const captureDir = "../testdata/harbor-captures"

// capture is one recorded file, in recording order.
type capture struct {
	name string // file name without .txt
	file string
	set  string // "set1", "set1a" (fresh database), "set2", "set3", "set3b" (v2.13.5) or "set4"
}

// captures lists every capture in the order INDEX.txt gives.
func captures(t *testing.T) []capture {
	t.Helper()
	var out []capture
	for _, dir := range []string{captureDir, filepath.Join(captureDir, "set2"), filepath.Join(captureDir, "set3"),
		filepath.Join(captureDir, "set4")} {
		names, err := captureOrder(dir)
		require.NoError(t, err)
		for _, n := range names {
			set := "set1"
			switch {
			case strings.HasSuffix(n, "_v2_13_5"):
				set = "set3b"
			case dir != captureDir:
				set = filepath.Base(dir)
			case strings.HasPrefix(n, "a"):
				set = "set1a"
			}
			out = append(out, capture{name: n, file: filepath.Join(dir, n+".txt"), set: set})
		}
	}
	return out
}

// replay is the state carried from one exchange to the next: robot secrets
// and ids (recorded -> ours) and the cookies and CSRF token of the UI flow.
type replay struct {
	srv        *harbortest.Server
	secrets    map[string]string
	ids        map[string]map[string]string // kind (path prefix such as "/users/") -> recorded id -> ours
	csrfCookie string
	csrfToken  string
	sid        string
}

func newReplay(srv *harbortest.Server) *replay {
	return &replay{srv: srv, secrets: map[string]string{}, ids: map[string]map[string]string{}}
}

func (rp *replay) mapID(kind, recorded, ours string) {
	if recorded == "" || ours == "" {
		return
	}
	if rp.ids[kind] == nil {
		rp.ids[kind] = map[string]string{}
	}
	rp.ids[kind][recorded] = ours
}

func (rp *replay) ourID(kind, recorded string) string {
	if v, ok := rp.ids[kind][recorded]; ok {
		return v
	}
	return recorded
}

// step says how a capture is replayed when it needs more than its request.
type step struct {
	// prepare adjusts the request (cookies, CSRF token, form body).
	prepare func(*replay, *http.Request)
	// skip lists JSON paths (prefixes) whose values are not compared.
	skip []string
}

// operationOf names the swagger operation of a capture's first request, or
// a pseudo-operation for the UI login, or "" for paths outside the API.
func operationOf(m *harbortest.OperationMatcher, ex exchange) (op, template string) {
	u, err := url.Parse(ex.Path)
	if err != nil {
		return "", ""
	}
	if u.Path == "/c/login" {
		return "login", "/c/login"
	}
	if !strings.HasPrefix(u.Path, "/api/v2.0/") {
		return "", ""
	}
	req := &http.Request{Method: ex.Method, URL: u, Host: "h"}
	id, tmpl, ok := m.Match(req)
	if !ok {
		return "noOperation", "" // an API path no operation matches: Harbor's 404 or 405
	}
	return id, tmpl
}

// TestConformance replays, in recording order, every capture whose
// operation harbortest serves, except those in conformanceExceptions, and
// checks each answer against the recorded one (see CONFORMANCE.md). A
// capture enters the scope by itself once its operation is served. An
// exception that passes fails the test, so the table stays honest.
func TestConformance(t *testing.T) {
	all := captures(t)
	served := harbortest.ServedOperations(harbortest.NewServer())
	served["login"], served["noOperation"] = true, true
	matcher := harbortest.NewOperationMatcher()

	known := map[string]bool{}
	for _, c := range all {
		known[c.name] = true
	}
	for name := range conformanceExceptions {
		require.Truef(t, known[name], "exception %s names no capture", name)
	}

	servers := map[string]*replay{}
	for _, set := range []string{"set1", "set1a", "set2", "set3", "set3b", "set4"} {
		srv := harbortest.New(t)
		seedCaptureSet(set, srv)
		servers[set] = newReplay(srv)
	}

	var pass, total, excepted, unserved, notAPI int
	var failed, stale []string
	for _, c := range all {
		exs, err := parseCapture(c.file)
		require.NoError(t, err, c.name)
		if len(exs) == 0 {
			continue
		}
		op, tmpl := operationOf(matcher, exs[0])
		switch {
		case op == "":
			notAPI++
			continue
		case !served[op]:
			unserved++
			continue
		}
		rp := servers[c.set]
		if seed := seedBefore[c.name]; seed != nil {
			seed(rp.srv)
		}
		var problems []string
		for _, ex := range exs {
			if c.set != "set2" && !strings.HasPrefix(c.set, "set3") && ex.ReqHeader["Accept"] == "" {
				// set 1's recorder sent it without writing it down (set2/README.md)
				ex.ReqHeader["Accept"] = "application/json"
			}
			problems = append(problems, replayExchange(t, rp, conformanceSteps[c.name], ex, tmpl)...)
		}
		if reason, ok := conformanceExceptions[c.name]; ok {
			excepted++
			if len(problems) == 0 {
				stale = append(stale, c.name+" ("+reason+")")
			}
			continue
		}
		total++
		if len(problems) == 0 {
			pass++
			continue
		}
		failed = append(failed, c.name)
		t.Errorf("%s (%s):\n  %s", c.name, op, strings.Join(problems, "\n  "))
	}
	t.Logf("conformance: %d/%d captures in scope pass; %d exceptions; %d for operations not served; %d outside /api/v2.0",
		pass, total, excepted, unserved, notAPI)
	if len(failed) > 0 {
		t.Logf("failing: %s", strings.Join(failed, ", "))
	}
	for _, s := range stale {
		t.Errorf("exception %s now passes: remove it from conformanceExceptions", s)
	}
}

var (
	secretRe   = regexp.MustCompile(`"secret":"([^"]+)"`)
	locationRe = regexp.MustCompile(`^/api/v2\.0(/.*/)([0-9]+)$`)
	digitsRe   = regexp.MustCompile(`[0-9]+`)
)

// paramKinds names the id space of path parameters whose prefix in the
// template does not say it.
var paramKinds = map[string]string{"project_name_or_id": "/projects/", "project_name": "/projects/"}

// rewrite turns a recorded request into ours: ids of objects created during
// the replay, robot secrets.
func (rp *replay) rewrite(ex exchange, tmpl string) string {
	u, err := url.Parse(ex.Path)
	if err != nil {
		return ex.Path
	}
	segs := strings.Split(u.EscapedPath(), "/")
	tsegs := strings.Split("/api/v2.0"+tmpl, "/")
	if len(segs) == len(tsegs) {
		for i, ts := range tsegs {
			if !strings.HasPrefix(ts, "{") || !digitsRe.MatchString(segs[i]) || digitsRe.FindString(segs[i]) != segs[i] {
				continue
			}
			kind := paramKinds[strings.Trim(ts, "{}")]
			if kind == "" {
				kind = strings.TrimPrefix(strings.Join(tsegs[:i], "/"), "/api/v2.0") + "/"
			}
			segs[i] = rp.ourID(kind, segs[i])
		}
	}
	out := strings.Join(segs, "/")
	if u.RawQuery != "" {
		// project ids in q, encoded once or twice (ProjectID%3D1009, ProjectID%253D1009)
		q := regexp.MustCompile(`((?i)project_?id)(%3D|%253D|=)([0-9]+)`).ReplaceAllStringFunc(u.RawQuery, func(m string) string {
			i := strings.LastIndexAny(m, "D=") + 1
			return m[:i] + rp.ourID("/projects/", m[i:])
		})
		out += "?" + q
	}
	return out
}

// bodyIDKeys are JSON keys of request bodies that hold ids of another kind.
var bodyIDKeys = map[string]string{"project_id": "/projects/", "user_id": "/users/", "registry_id": "/registries/"}

func (rp *replay) rewriteBody(body string) string {
	if body == "" || (body[0] != '{' && body[0] != '[') {
		return body
	}
	var v any
	if json.Unmarshal([]byte(body), &v) != nil {
		return body
	}
	changed := false
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, val := range x {
				if kind, ok := bodyIDKeys[k]; ok {
					if f, ok := val.(float64); ok {
						rec := strconv.FormatInt(int64(f), 10)
						if ours := rp.ourID(kind, rec); ours != rec {
							n, _ := strconv.ParseInt(ours, 10, 64)
							x[k] = n
							changed = true
						}
					}
				}
				walk(val)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	if !changed {
		return body
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSpace(b.String())
}

// learnIDs pairs the ids of a recorded answer with ours: Location, "id" of
// the objects of a collection, and project_id / user_id anywhere.
func (rp *replay) learnIDs(ex exchange, tmpl string, gotHeader http.Header, got []byte) {
	if loc := ex.RespHeader["Location"]; len(loc) > 0 {
		w, g := locationRe.FindStringSubmatch(loc[0]), locationRe.FindStringSubmatch(gotHeader.Get("Location"))
		if w != nil && g != nil {
			kind := w[1] // in the template's form when it is the request's path, as rewrite looks it up
			if strings.Count(kind, "/") == strings.Count(tmpl+"/", "/") {
				kind = tmpl + "/"
			}
			rp.mapID(kind, w[2], g[2])
		}
	}
	var wv, gv any
	if json.Unmarshal([]byte(ex.RespBody), &wv) != nil || json.Unmarshal(got, &gv) != nil {
		return
	}
	kind := tmpl
	if i := strings.LastIndex(kind, "/{"); i >= 0 && strings.HasSuffix(kind, "}") {
		kind = kind[:i]
	}
	kind += "/"
	var walk func(w, g any, depth int)
	walk = func(w, g any, depth int) {
		switch w := w.(type) {
		case map[string]any:
			g, ok := g.(map[string]any)
			if !ok {
				return
			}
			for k, wx := range w {
				gx := g[k]
				wn, wok := wx.(float64)
				gn, gok := gx.(float64)
				if wok && gok {
					ws, gs := strconv.FormatInt(int64(wn), 10), strconv.FormatInt(int64(gn), 10)
					switch {
					case k == "id" && depth == 0:
						rp.mapID(kind, ws, gs)
					case bodyIDKeys[k] != "":
						rp.mapID(bodyIDKeys[k], ws, gs)
					}
				}
				walk(wx, gx, depth+1)
			}
		case []any:
			g, ok := g.([]any)
			if !ok {
				return
			}
			for i := range w {
				if i < len(g) {
					walk(w[i], g[i], depth+1)
				}
			}
		}
	}
	// items of a list are at depth 0 like a single object
	if l, ok := wv.([]any); ok {
		if gl, ok := gv.([]any); ok {
			for i := range l {
				if i < len(gl) {
					walk(l[i], gl[i], 0)
				}
			}
		}
		return
	}
	walk(wv, gv, 0)
}

func replayExchange(t *testing.T, rp *replay, st step, ex exchange, tmpl string) []string {
	t.Helper()
	var body io.Reader
	if ex.ReqBody != "" {
		body = strings.NewReader(rp.rewriteBody(ex.ReqBody))
	}
	req, err := http.NewRequest(ex.Method, rp.srv.URL+rp.rewrite(ex, tmpl), body)
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
	if resp.StatusCode == ex.Status {
		rp.learnIDs(ex, tmpl, resp.Header, got)
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
	if w, g := digitsRe.ReplaceAllString(first("Location"), "N"), digitsRe.ReplaceAllString(resp.Header.Get("Location"), "N"); w != g {
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
		if ex.RespBody != gotBody {
			p = append(p, fmt.Sprintf("body: want %.200q, got %.200q", ex.RespBody, gotBody))
		}
		return p
	}
	if err := json.Unmarshal(got, &g); err != nil {
		return append(p, fmt.Sprintf("body is not JSON: %v: %q", err, got))
	}
	compareJSON("", w, g, st.skip, &p)
	return p
}

// ignoredKeys hold values that differ between runs (ids, dates, secrets,
// addresses); only their presence and type are compared.
var ignoredKeys = map[string]bool{
	"id": true, "project_id": true, "user_id": true, "creation_time": true, "update_time": true,
	"secret": true, "expires_at": true, "current_time": true, "external_url": true,
	"registry_url": true, "op_time": true, "push_time": true, "owner_id": true, "user_group_id": true,
	"creator_ref": true, "registry_id": true, "retention_id": true,
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

func TestCapturesPresent(t *testing.T) {
	for _, f := range []string{"README.md", "INDEX.txt", "set2/README.md", "set2/INDEX.txt", "set3/README.md", "set3/INDEX.txt",
		"set4/README.md", "set4/INDEX.txt"} {
		_, err := os.Stat(filepath.Join(captureDir, f))
		require.NoError(t, err, f)
	}
}
