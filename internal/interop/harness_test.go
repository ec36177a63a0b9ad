package interop_test

import (
	"bufio"
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
	"sync"
	"testing"

	httptransport "github.com/go-openapi/runtime/client"
	goharbor "github.com/goharbor/go-client/pkg/harbor"
	v2client "github.com/goharbor/go-client/pkg/sdk/v2.0/client"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// capturesDir holds the recorded exchanges with a real Harbor v2.15.2.
const capturesDir = "../../testdata/harbor-captures"

// tally counts the calls of one group (top-level test) or of the run.
type tally struct {
	made     int // go-client operations called
	recorded int // of which have a recorded exchange to compare with
	matched  int // of which matched it on every check
	known    int // calls that differ as knownDiffs says
	stale    int // knownDiffs entries whose call matched
	skipped  int // subgroups harbortest does not serve yet
}

// Counts per group, printed by TestMain.
var (
	talliesMu sync.Mutex
	tallies   = map[string]*tally{}
)

// count applies f to the tally of t's group (its top-level test).
func count(t *testing.T, f func(*tally)) {
	group, _, _ := strings.Cut(t.Name(), "/")
	talliesMu.Lock()
	defer talliesMu.Unlock()
	g := tallies[group]
	if g == nil {
		g = &tally{}
		tallies[group] = g
	}
	f(g)
}

func TestMain(m *testing.M) {
	code := m.Run()
	var total tally
	groups := make([]string, 0, len(tallies))
	for g := range tallies {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, name := range groups {
		g := tallies[name]
		fmt.Printf("interop: %-26s %3d calls, %3d recorded, %3d matched, %d known, %d stale, %d skipped\n",
			strings.TrimPrefix(name, "Test"), g.made, g.recorded, g.matched, g.known, g.stale, g.skipped)
		total.made += g.made
		total.recorded += g.recorded
		total.matched += g.matched
		total.known += g.known
		total.stale += g.stale
		total.skipped += g.skipped
	}
	fmt.Printf("interop: goharbor/go-client made %d calls to harbortest; %d have a recording; %d matched it; "+
		"%d known differences; %d stale knownDiffs entries; %d groups skipped (not served yet)\n",
		total.made, total.recorded, total.matched, total.known, total.stale, total.skipped)
	os.Exit(code)
}

// exchange is one HTTP request and its answer, as go-client sent and
// received it, or as a capture file recorded it.
type exchange struct {
	Method string
	Path   string // with the query
	Status int
	Header http.Header
	Body   []byte
}

// recorder is an http.RoundTripper that keeps every exchange, so that the
// answer behind go-client's typed result can be compared with the recording.
type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	log  []exchange
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.log = append(r.log, exchange{Method: req.Method, Path: req.URL.RequestURI(), Status: resp.StatusCode,
		Header: resp.Header.Clone(), Body: body})
	r.mu.Unlock()
	return resp, nil
}

func (r *recorder) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.log)
}

func (r *recorder) since(n int) []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]exchange(nil), r.log[n:]...)
}

// harness is a harbortest server with go-client clients for it.
type harness struct {
	srv *harbortest.Server
	rec *recorder
	// admin is go-client's API as the system administrator.
	admin *v2client.HarborAPI
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	// Plain HTTP: go-client's constructor turns TLS verification off
	// whatever its Insecure flag says, so TLS would prove nothing here.
	srv := harbortest.NewServer()
	t.Cleanup(srv.Close)
	h := &harness{srv: srv, rec: &recorder{base: goharbor.InsecureTransport}}
	h.admin = h.as(t, srv.AdminUsername, srv.AdminPassword)
	return h
}

// as returns go-client's API authenticating with basic auth as user, or
// anonymous when user is empty, built through go-client's own Config.
func (h *harness) as(t *testing.T, user, password string) *v2client.HarborAPI {
	t.Helper()
	u, err := url.Parse(h.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &goharbor.Config{URL: u, Transport: h.rec}
	if user != "" {
		cfg.AuthInfo = httptransport.BasicAuth(user, password)
	}
	return v2client.New(cfg.ToV2Config())
}

// expect says how an answer is compared with its recording.
type expect struct {
	// capture is the file under testdata/harbor-captures, without ".txt";
	// empty for a call that has no recording.
	capture string
	// fields are JSON paths ("name", "metadata.public", "0.id" for the
	// first element of a list) that must exist in both answers with the
	// same JSON type.
	fields []string
	// same are JSON paths whose values must be equal in both answers.
	// Digits in strings are not compared (ids differ between servers);
	// "" stands for the whole body.
	same []string
}

// call runs one go-client operation, counts it, and compares what harbortest
// answered with the recording: the status; that go-client returned a result
// for a 2xx answer and an error otherwise; the error code and message
// (digits aside) of an error answer; the Location and X-Total-Count headers
// where Harbor sent them; the fields of exp. It returns op's error.
func (h *harness) call(t *testing.T, exp expect, op func() error) error {
	t.Helper()
	n := h.rec.len()
	err := op()
	count(t, func(g *tally) { g.made++ })
	got := h.rec.since(n)
	if len(got) != 1 {
		t.Errorf("%s: go-client sent %d requests, want 1", exp.capture, len(got))
		return err
	}
	g := got[0]
	if exp.capture == "" {
		if g.Status/100 != 2 || err != nil {
			t.Errorf("%s %s: status %d, error %v", g.Method, g.Path, g.Status, err)
		}
		return err
	}
	count(t, func(g *tally) { g.recorded++ })
	want := loadCapture(t, exp.capture)
	var diffs []string
	fail := func(format string, args ...any) {
		diffs = append(diffs, fmt.Sprintf(format, args...))
	}
	if g.Status != want.Status {
		fail("status %d, recorded %d; body %s", g.Status, want.Status, g.Body)
	}
	if want.Status/100 == 2 && err != nil {
		fail("go-client could not take the answer: %v", err)
	}
	if want.Status/100 != 2 && err == nil {
		fail("go-client returned no error for status %d", g.Status)
	}
	if wc, wm := errorOf(want.Body); wc != "" {
		gc, gm := errorOf(g.Body)
		if gc != wc {
			fail("error code %q, recorded %q", gc, wc)
		}
		if digitless(gm) != digitless(wm) {
			fail("error message %q, recorded %q", gm, wm)
		}
	}
	if loc := want.Header.Get("Location"); loc != "" {
		if gl := g.Header.Get("Location"); digitless(gl) != digitless(loc) {
			fail("Location %q, recorded %q", gl, loc)
		}
	}
	if want.Header.Get("X-Total-Count") != "" && g.Header.Get("X-Total-Count") == "" {
		fail("no X-Total-Count header; Harbor sends one")
	}
	if len(exp.same) == 1 && exp.same[0] == "" && !json.Valid(want.Body) {
		// A text answer (text/plain ping): the body itself.
		if !bytes.Equal(bytes.TrimSpace(g.Body), want.Body) {
			fail("body %q, recorded %q", g.Body, want.Body)
		}
	} else if len(exp.fields)+len(exp.same) > 0 {
		var wv, gv any
		if e := json.Unmarshal(want.Body, &wv); e != nil {
			t.Fatalf("%s: recorded body is not JSON: %v", exp.capture, e)
		}
		if e := json.Unmarshal(g.Body, &gv); e != nil {
			fail("body is not JSON: %v: %s", e, g.Body)
		} else {
			for _, p := range exp.fields {
				w, ok := lookup(wv, p)
				if !ok {
					t.Fatalf("%s: the recording has no field %q", exp.capture, p)
				}
				v, ok := lookup(gv, p)
				switch {
				case !ok:
					fail("field %q is missing", p)
				case kind(v) != kind(w):
					fail("field %q is a %s, recorded a %s", p, kind(v), kind(w))
				}
			}
			for _, p := range exp.same {
				w, ok := lookup(wv, p)
				if !ok {
					t.Fatalf("%s: the recording has no field %q", exp.capture, p)
				}
				v, _ := lookup(gv, p)
				if digitless(compact(v)) != digitless(compact(w)) {
					fail("field %q is %s, recorded %s", p, compact(v), compact(w))
				}
			}
		}
	}
	known, isKnown := knownDiffs[exp.capture]
	switch {
	case len(diffs) == 0 && isKnown:
		count(t, func(g *tally) { g.matched++; g.stale++ })
		t.Errorf("%s: matches now; remove it from knownDiffs (%s)", exp.capture, known.reason)
	case len(diffs) == 0:
		count(t, func(g *tally) { g.matched++ })
	case isKnown && strings.Contains(diffs[0], known.first):
		count(t, func(g *tally) { g.known++ })
		t.Logf("%s (%s %s): known difference, %s: %s", exp.capture, g.Method, g.Path, known.reason, strings.Join(diffs, "; "))
	default:
		for _, d := range diffs {
			t.Errorf("%s (%s %s): %s", exp.capture, g.Method, g.Path, d)
		}
	}
	return err
}

// knownDiff excuses a difference this test finds between harbortest and
// the recording: first must be part of the first difference reported.
type knownDiff struct{ first, reason string }

// knownDiffs are the differences of harbortest from Harbor found by this
// test and not fixed yet, by capture. They are logged and counted, not
// failed; an entry whose call matches again fails the test, so the table
// only ever lists real differences (none today).
var knownDiffs = map[string]knownDiff{}

// probe runs op and skips the test when harbortest answers it with 404 or
// 501: the resource group is not served yet (merges will light it up). The
// probe is not counted.
func (h *harness) probe(t *testing.T, what string, op func() error) {
	t.Helper()
	n := h.rec.len()
	_ = op()
	got := h.rec.since(n)
	if len(got) == 1 && (got[0].Status == http.StatusNotFound || got[0].Status == http.StatusNotImplemented) {
		count(t, func(g *tally) { g.skipped++ })
		t.Skipf("harbortest does not serve %s yet (%s %s answered %d)", what, got[0].Method, got[0].Path, got[0].Status)
	}
}

// last returns the last exchange, for reading ids out of Location headers.
func (h *harness) last() exchange {
	h.rec.mu.Lock()
	defer h.rec.mu.Unlock()
	return h.rec.log[len(h.rec.log)-1]
}

// createdID returns the id at the end of the last answer's Location header.
func (h *harness) createdID(t *testing.T) int64 {
	t.Helper()
	loc := h.last().Header.Get("Location")
	id, err := strconv.ParseInt(loc[strings.LastIndexByte(loc, '/')+1:], 10, 64)
	if err != nil {
		t.Fatalf("no id in Location %q", loc)
	}
	return id
}

var captureCache sync.Map // name -> exchange

// loadCapture reads a capture file: "### REQUEST" (request line, Auth,
// headers, body) then "### RESPONSE" (status line and headers with CRLF,
// blank line, body).
func loadCapture(t *testing.T, name string) exchange {
	t.Helper()
	if ex, ok := captureCache.Load(name); ok {
		return ex.(exchange)
	}
	data, err := os.ReadFile(filepath.Join(capturesDir, name+".txt"))
	if err != nil {
		t.Fatalf("capture: %v", err)
	}
	req, resp, ok := strings.Cut(string(data), "### RESPONSE\n")
	if !ok {
		t.Fatalf("capture %s: no ### RESPONSE", name)
	}
	var ex exchange
	reqLine, _, _ := strings.Cut(strings.TrimPrefix(req, "### REQUEST\n"), "\n")
	ex.Method, ex.Path, _ = strings.Cut(reqLine, " ")
	head, body, _ := strings.Cut(resp, "\r\n\r\n")
	ex.Body = bytes.TrimSpace([]byte(body))
	ex.Header = http.Header{}
	sc := bufio.NewScanner(strings.NewReader(head))
	for first := true; sc.Scan(); first = false {
		line := strings.TrimRight(sc.Text(), "\r")
		if first {
			f := strings.Fields(line)
			if len(f) < 2 {
				t.Fatalf("capture %s: bad status line %q", name, line)
			}
			if ex.Status, err = strconv.Atoi(f[1]); err != nil {
				t.Fatalf("capture %s: %v", name, err)
			}
			continue
		}
		k, v, _ := strings.Cut(line, ":")
		ex.Header.Add(k, strings.TrimSpace(v))
	}
	captureCache.Store(name, ex)
	return ex
}

// errorOf returns the first code and message of a Harbor error body.
func errorOf(body []byte) (code, message string) {
	var e struct {
		Errors []struct{ Code, Message string } `json:"errors"`
	}
	if json.Unmarshal(body, &e) != nil || len(e.Errors) == 0 {
		return "", ""
	}
	return e.Errors[0].Code, e.Errors[0].Message
}

var (
	digits = regexp.MustCompile(`[0-9]+`)
	uuids  = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	sha256 = regexp.MustCompile(`sha256:[0-9a-f]{64}`)
)

// digitless replaces UUIDs (scanner registrations) by "<uuid>", artifact
// digests by "sha256:<digest>" and runs of digits by "#": ids, times,
// counts and the recorded images differ between a real Harbor and
// harbortest, the rest must not.
func digitless(s string) string {
	s = sha256.ReplaceAllString(uuids.ReplaceAllString(s, "<uuid>"), "sha256:<digest>")
	return digits.ReplaceAllString(s, "#")
}

// lookup follows a dotted path through decoded JSON; numeric segments index
// arrays; "" is v itself.
func lookup(v any, path string) (any, bool) {
	if path == "" {
		return v, true
	}
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[seg]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// kind names the JSON type of a decoded value.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	default:
		return "object"
	}
}

func compact(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// prefixed returns paths with prefix before each, e.g. "0." for the first
// element of a list.
func prefixed(prefix string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = prefix + p
	}
	return out
}

// imageSeeder is harbortest's AddImage, which the artifacts branch adds: an
// image with a config, so with the extra_attrs Harbor sends.
type imageSeeder interface {
	AddImage(projectName, repo string, tags ...string) string
}

// seedImage adds an untagged image to project/repo and returns its digest:
// with AddImage where harbortest has it, else with AddArtifact, whose
// artifacts have no extra_attrs (knownDiffs p032, p059).
func seedImage(srv *harbortest.Server, project, repo string) string {
	if s, ok := any(srv).(imageSeeder); ok {
		return s.AddImage(project, repo)
	}
	const digest = "sha256:9bffcba1aa760a2139a8886790c122db6e1b3a215dabcb5beb6f2116251bdde9" // the recorded image
	srv.AddArtifact(project, repo, digest)
	return digest
}

// ptr returns a pointer to v, for go-client's optional parameters.
func ptr[T any](v T) *T { return &v }

// localhostURL returns raw with its host replaced by localhost (same port):
// Harbor refuses to register itself under its own URL (b122), so the
// recordings reached it as localhost.
func localhostURL(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = "localhost:" + u.Port()
	return u.String()
}
