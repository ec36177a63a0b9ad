package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/internal/specdiff"
)

// replayServer answers every request with the response of the current
// exchange, as recorded, and counts the requests it gets for it.
type replayServer struct {
	mu       sync.Mutex
	cur      *exchange
	requests int
	gotURI   string // request target of the last request, as sent
	gotMeth  string
	gotBody  []byte
}

func (s *replayServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	x := s.cur
	s.requests++
	s.gotURI, s.gotMeth, s.gotBody = r.RequestURI, r.Method, body
	s.mu.Unlock()
	for k, vs := range x.RespHeaders {
		switch k {
		case "Content-Length", "Transfer-Encoding", "Connection":
			continue // net/http frames the body itself
		}
		w.Header()[k] = vs
	}
	w.WriteHeader(x.Status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(x.RespBody)
	}
}

// serve makes x the exchange to answer and resets the counters.
func (s *replayServer) serve(x *exchange) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur, s.requests, s.gotURI, s.gotMeth, s.gotBody = x, 0, "", "", nil
}

func (s *replayServer) seen() (requests int, method, uri string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests, s.gotMeth, s.gotURI
}

// sentBody is the body of the last request.
func (s *replayServer) sentBody() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gotBody
}

// result of replaying one exchange.
type result struct {
	class  string // "" when Harbor's answer was read as sent; else the failure class
	detail string
	// For non-2xx answers: the *harbor.Error checks, on the raw error of the
	// generated operation (errors.As) and through harbor.AsError.
	isError          bool
	rawOK, asErrorOK bool
	helper           string   // facade helper used instead of the generated operation
	notes            []string // what of the request could not be reproduced
	lost             []string // non-spot fields the result does not keep
	compared, spots  int      // JSON values found equal, and how many were spot fields
	headers          int      // X-Total-Count, Link, Location found equal in the result
}

// replayer holds what every exchange needs.
type replayer struct {
	srv     *replayServer
	c       *harbor.Client
	router  *router
	methods *apiMethods
	helpers map[string]helper // by operationId, called instead of the generated operation
}

// replay serves x, calls its operation and checks what came back.
func (rp *replayer) replay(x *exchange) (res result) {
	rp.srv.serve(x)
	u, err := url.Parse(x.Target)
	if err != nil {
		return result{class: classNoOperation, detail: err.Error()}
	}
	op, pathParams, err := rp.router.match(x.Method, u.EscapedPath())
	if err != nil {
		return result{class: classNoOperation, detail: err.Error()}
	}
	defer func() {
		if p := recover(); p != nil {
			res = result{class: classPanic, detail: fmt.Sprintf("%s: panic: %v", op.ID, p)}
		}
	}()

	var a answer
	if h, ok := rp.helpers[op.ID]; ok {
		res.helper = h.name
		a.json, a.err = h.call(context.Background(), rp.c, pathParams, u.Query(), x.ReqHeaders)
	} else {
		m, err := rp.methods.method(op)
		if err != nil {
			return result{class: classNoOperation, detail: err.Error()}
		}
		pv, notes, err := buildParams(m.Type().In(1), op, pathParams, u.Query(), x.ReqHeaders, x.ReqBody)
		res.notes = notes
		if err != nil {
			return withClass(res, classUnsendable, fmt.Sprintf("%s: %v", op.ID, err))
		}
		a = callGenerated(m, pv)
	}

	n, meth, uri := rp.srv.seen()
	if want := wantRequests(x); n != want {
		return withClass(res, classRetried, fmt.Sprintf("%s: %d requests for one call answered %d, want %d", op.ID, n, x.Status, want))
	}
	if d := requestDiff(x, meth, uri); d != "" {
		res.notes = append(res.notes, d)
	}
	if d := bodyDiff(x.ReqBody, rp.srv.sentBody()); d != "" {
		res.notes = append(res.notes, d)
	}
	if x.Status < 200 || x.Status > 299 {
		return checkErrorAnswer(res, x, op.ID, a)
	}
	return checkSuccess(res, x, op.ID, a)
}

// replayRetryPolicy is the default retry policy with millisecond waits.
func replayRetryPolicy() harbor.RetryPolicy {
	p := harbor.DefaultRetryPolicy()
	p.BaseDelay, p.MaxBackoff = time.Millisecond, time.Millisecond
	return p
}

// wantRequests is how many requests one call must send for x: an
// idempotent request answered 429, 502, 503 or 504 is retried up to the
// policy's attempts; anything else, a POST or PATCH above all, is sent once.
func wantRequests(x *exchange) int {
	switch x.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		switch x.Status {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return replayRetryPolicy().MaxAttempts
		}
	}
	return 1
}

// answer is what an operation or a helper returned.
type answer struct {
	value any           // the generated result (e.g. *project.GetProjectOK)
	sink  *bytes.Buffer // what a file operation wrote
	json  []byte        // a helper's JSON
	err   error
}

// callGenerated calls a generated method with its params.
func callGenerated(m, params reflect.Value) answer {
	var a answer
	args := []reflect.Value{reflect.ValueOf(context.Background()), params}
	if m.Type().NumIn() == 3 { // a file answer (getCert, downloadScanData) is written to an io.Writer
		a.sink = new(bytes.Buffer)
		args = append(args, reflect.ValueOf(a.sink))
	}
	outs := m.Call(args)
	if e := outs[len(outs)-1]; !e.IsNil() {
		a.err = e.Interface().(error)
	}
	for _, o := range outs[:len(outs)-1] { // triggerRetentionExecution has two success results
		if !o.IsNil() {
			a.value = o.Interface()
		}
	}
	return a
}

// checkErrorAnswer: a non-2xx answer is a *harbor.Error with the recorded
// status, codes, messages and request id, found by errors.As on the raw
// error (the target) or else through harbor.AsError.
func checkErrorAnswer(res result, x *exchange, opID string, a answer) result {
	res.isError = true
	if a.err == nil {
		return withClass(res, classErrorLost, fmt.Sprintf("%s: %d answered with no error (result %T)", opID, x.Status, a.value))
	}
	raw := fmt.Sprintf("errors.As finds no *harbor.Error in %T", a.err)
	var he *harbor.Error
	if errors.As(a.err, &he) {
		raw = checkError(x, he)
	}
	via := fmt.Sprintf("AsError does not recognise %T: %v", a.err, a.err)
	if he, ok := harbor.AsError(a.err); ok {
		via = checkError(x, he)
	}
	res.rawOK, res.asErrorOK = raw == "", via == ""
	switch {
	case res.rawOK:
		return res
	case res.asErrorOK:
		return withClass(res, classRawErrorsAs, fmt.Sprintf("%s: %s", opID, raw))
	default:
		return withClass(res, classErrorContent, fmt.Sprintf("%s: %s; via AsError: %s", opID, raw, via))
	}
}

// checkSuccess: a 2xx answer decoded without error, its headers reached the
// result and every recorded value survived.
func checkSuccess(res result, x *exchange, opID string, a answer) result {
	if bytes.Contains(x.RespBody, []byte(" bytes cut]")) {
		return withClass(res, classCut, fmt.Sprintf("%s: the recorder cut this body, so it is not JSON", opID))
	}
	if a.err != nil {
		return withClass(res, classDecode, fmt.Sprintf("%s: %d: %v", opID, x.Status, a.err))
	}
	d, checked := checkHeaders(x, a.value)
	res.headers = checked
	if d != "" {
		return withClass(res, classHeader, fmt.Sprintf("%s: %s", opID, d))
	}
	payload := a.json
	if res.helper != "" && !json.Valid(x.RespBody) {
		// A text answer (values.yaml, readme.md) from a helper that returns
		// JSON: it must be the text as a JSON string.
		var text string
		if err := json.Unmarshal(payload, &text); err != nil || text != string(x.RespBody) {
			return withClass(res, classValue, fmt.Sprintf("%s: Harbor sent %d bytes of text, the helper returned %s", opID, len(x.RespBody), show(string(payload))))
		}
		return res
	}
	if res.helper == "" {
		var class string
		payload, class, d = generatedPayload(x, a.value, a.sink)
		if class != "" {
			return withClass(res, class, fmt.Sprintf("%s: %s", opID, d))
		}
		if payload == nil {
			return res
		}
	}
	diffs, lost, compared, spots, err := jsonDiff(x.RespBody, payload)
	res.lost, res.compared, res.spots = lost, compared, spots
	if err != nil {
		return withClass(res, classValue, fmt.Sprintf("%s: %v", opID, err))
	}
	if len(diffs) > 0 {
		more := ""
		if len(diffs) > 3 {
			more = fmt.Sprintf(" (+%d more)", len(diffs)-3)
			diffs = diffs[:3]
		}
		return withClass(res, classValue, fmt.Sprintf("%s: %s%s", opID, strings.Join(diffs, "; "), more))
	}
	return res
}

func withClass(r result, class, detail string) result {
	r.class, r.detail = class, detail
	return r
}

// generatedPayload compares what a generated result holds with the recorded
// body where that needs no JSON comparison (empty bodies, text, files), and
// otherwise returns the result's payload marshalled again (nil: nothing
// left to compare). class is "" when all is well.
func generatedPayload(x *exchange, value any, sink *bytes.Buffer) (payload []byte, class, detail string) {
	body := bytes.TrimSpace(x.RespBody)
	if sink != nil {
		if !bytes.Equal(sink.Bytes(), x.RespBody) {
			return nil, classValue, fmt.Sprintf("wrote %d bytes, Harbor sent %d", sink.Len(), len(x.RespBody))
		}
		return nil, "", ""
	}
	v := reflect.ValueOf(value)
	var p reflect.Value
	if v.IsValid() && v.Kind() == reflect.Pointer && !v.IsNil() {
		p = v.Elem().FieldByName("Payload")
	}
	if len(body) == 0 || string(body) == "null" {
		// Nothing sent (or JSON null): the result must hold nothing either.
		if p.IsValid() && !p.IsZero() && !(p.Kind() == reflect.Pointer && p.Elem().IsZero()) {
			return nil, classValue, fmt.Sprintf("%d with an empty body decoded to %s", x.Status, show(p.Interface()))
		}
		return nil, "", ""
	}
	if !p.IsValid() {
		return nil, classBodyLost, fmt.Sprintf("%d: %T has no payload for a body of %d bytes", x.Status, value, len(x.RespBody))
	}
	if p.Kind() == reflect.String {
		want := string(x.RespBody)
		var js string
		if json.Unmarshal(body, &js) == nil {
			want = js // a JSON string ("Pong")
		}
		if p.String() != want {
			return nil, classValue, fmt.Sprintf("text of %d bytes came back as %d bytes", len(want), p.Len())
		}
		return nil, "", ""
	}
	out, err := json.Marshal(p.Interface())
	if err != nil {
		return nil, classValue, err.Error()
	}
	return out, "", ""
}

// checkHeaders: X-Total-Count, Link and Location reach the generated result.
// checked counts the headers that were compared and found equal.
func checkHeaders(x *exchange, value any) (bad string, checked int) {
	v := reflect.ValueOf(value)
	if !v.IsValid() || v.Kind() != reflect.Pointer || v.IsNil() {
		return "", 0
	}
	v = v.Elem()
	var diffs []string
	for _, h := range []string{"X-Total-Count", "Link", "Location"} {
		want := x.RespHeaders.Get(h)
		if want == "" {
			continue
		}
		f := v.FieldByName(strings.ReplaceAll(h, "-", ""))
		switch {
		case !f.IsValid():
			diffs = append(diffs, fmt.Sprintf("%s %q is not in %T (the spec does not declare it)", h, want, value))
		case f.Kind() == reflect.Int64:
			n, err := strconv.ParseInt(want, 10, 64)
			if err != nil || f.Int() != n {
				diffs = append(diffs, fmt.Sprintf("%s %q came back as %d", h, want, f.Int()))
			} else {
				checked++
			}
		case f.Kind() == reflect.String:
			if f.String() != want {
				diffs = append(diffs, fmt.Sprintf("%s %q came back as %q", h, want, f.String()))
			} else {
				checked++
			}
		default:
			diffs = append(diffs, fmt.Sprintf("%s is a %s in %T", h, f.Type(), value))
		}
	}
	return strings.Join(diffs, "; "), checked
}

// checkError: the *harbor.Error has the recorded status, Harbor's codes and
// messages (or the body's text when it is not Harbor's error JSON) and the
// request id.
func checkError(x *exchange, he *harbor.Error) string {
	var bad []string
	if he.StatusCode != x.Status {
		bad = append(bad, fmt.Sprintf("status %d, want %d", he.StatusCode, x.Status))
	}
	if id := x.RespHeaders.Get("X-Request-Id"); he.RequestID != id {
		bad = append(bad, fmt.Sprintf("request id %q, want %q", he.RequestID, id))
	}
	var eb struct {
		Errors []harbor.ErrorItem `json:"errors"`
	}
	if err := json.Unmarshal(x.RespBody, &eb); err == nil && len(eb.Errors) > 0 {
		if !reflect.DeepEqual(he.Errors, eb.Errors) {
			bad = append(bad, fmt.Sprintf("errors %v, want %v", he.Errors, eb.Errors))
		}
	} else {
		text := strings.TrimSpace(string(x.RespBody))
		got := strings.TrimSuffix(he.Body, "...")
		if (text == "") != (he.Body == "") || !strings.HasPrefix(text, got) {
			bad = append(bad, fmt.Sprintf("body %q, want the recorded text %q", truncate(he.Body), truncate(text)))
		}
	}
	return strings.Join(bad, "; ")
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// requestDiff compares the request the SDK sent with the recorded one:
// method, escaped path, and query values.
func requestDiff(x *exchange, method, uri string) string {
	if method != x.Method {
		return fmt.Sprintf("sent %s, recorded %s", method, x.Method)
	}
	sent, err1 := url.Parse(uri)
	rec, err2 := url.Parse(x.Target)
	if err1 != nil || err2 != nil {
		return fmt.Sprintf("sent %q, recorded %q", uri, x.Target)
	}
	if sent.EscapedPath() != rec.EscapedPath() || !reflect.DeepEqual(sent.Query(), rec.Query()) {
		return fmt.Sprintf("sent %s, recorded %s", uri, x.Target)
	}
	return ""
}

// newReplayer starts the replay server (closed when the test ends) and a
// client for it.
func newReplayer(t *testing.T, spec *specdiff.Spec, h map[string]helper) *replayer {
	t.Helper()
	srv := &replayServer{}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	// The client as users build it, default retry policy included, only
	// with millisecond waits: a retry that should not happen, or one that
	// should and does not, shows up in the request count.
	c, err := harbor.NewClient(ts.URL, harbor.WithRetry(replayRetryPolicy()))
	if err != nil {
		t.Fatal(err)
	}
	return &replayer{srv: srv, c: c, router: newRouter(spec), methods: newAPIMethods(c.API()), helpers: h}
}

// bodyDiff compares the JSON body the SDK sent with the recorded one. Only
// bodies that are JSON on both sides are compared; a recorded value the
// generated model has no field for is reported, an empty one is not.
func bodyDiff(recorded, sent []byte) string {
	if !json.Valid(recorded) || !json.Valid(sent) {
		return ""
	}
	diffs, lost, _, _, err := jsonDiff(recorded, sent)
	if err != nil {
		return err.Error()
	}
	if all := append(diffs, lost...); len(all) > 0 {
		return "request body: " + strings.Join(all, "; ")
	}
	return ""
}

// TestReplayEveryRecordedExchange replays every recorded exchange through the
// generated operation of the SDK (or the facade helper listed in helpers).
func TestReplayEveryRecordedExchange(t *testing.T) {
	exchanges, err := loadExchanges()
	if err != nil {
		t.Fatal(err)
	}
	if len(exchanges) < 800 {
		t.Fatalf("found %d recorded exchanges in %s, expected about 880", len(exchanges), captureDir)
	}
	spec, err := specdiff.Load("../../swagger.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rp := newReplayer(t, spec, helpers)

	var (
		readOK, errTotal, rawOK, asErrOK int
		compared, spots, headers         int
		byClass                          = map[string][]string{}
		usedException                    = map[string]bool{}
		reasons                          = map[string][]string{} // class -> the exceptions' reasons
		notes                            []string
		lostFields                       = map[string]int{}
	)
	for _, x := range exchanges {
		r := rp.replay(x)
		if r.isError {
			errTotal++
			if r.rawOK {
				rawOK++
			}
			if r.asErrorOK {
				asErrOK++
			}
		}
		compared += r.compared
		spots += r.spots
		headers += r.headers
		for _, n := range r.notes {
			notes = append(notes, x.Name+": "+n)
		}
		for _, l := range r.lost {
			lostFields[l]++
		}
		if r.class == "" {
			readOK++
			if ex, ok := exceptions[x.Name]; ok {
				t.Errorf("%s: listed as an exception (%s: %s) but now read as Harbor sent it: remove it from exceptions", x.Name, ex.class, ex.reason)
			}
			continue
		}
		line := fmt.Sprintf("%s: %s", x.File, r.detail)
		if r.helper != "" {
			line += " (via " + r.helper + ")"
		}
		byClass[r.class] = append(byClass[r.class], line)
		if ex, ok := exceptions[x.Name]; ok && ex.class == r.class {
			usedException[x.Name] = true
			reasons[r.class] = appendOnce(reasons[r.class], ex.reason)
			continue
		}
		if ex, ok := exceptions[x.Name]; ok {
			t.Errorf("%s: listed as %s but fails as %s: %s", x.File, ex.class, r.class, r.detail)
			continue
		}
		t.Errorf("%s: not read as Harbor sent it and not a listed exception: [%s] %s", x.File, r.class, r.detail)
	}
	for name := range exceptions {
		if !usedException[name] && !exchangeExists(exchanges, name) {
			t.Errorf("exceptions lists %s, which is not a recorded exchange", name)
		}
	}

	classes := make([]string, 0, len(byClass))
	for c := range byClass {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	for _, class := range classes {
		t.Logf("-- %s: %d", class, len(byClass[class]))
		for _, r := range reasons[class] {
			t.Logf("   why: %s", r)
		}
		for _, l := range byClass[class] {
			t.Logf("   %s", l)
		}
	}
	if testing.Verbose() {
		for _, n := range notes {
			t.Logf("request not reproduced exactly: %s", n)
		}
		paths := make([]string, 0, len(lostFields))
		for p := range lostFields {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			t.Logf("field not kept by the generated model: %s (%d)", p, lostFields[p])
		}
	}
	t.Logf("%d JSON values of 2xx bodies compared equal after decoding and re-marshalling (%d of them ids, names, digests or counts); %d X-Total-Count, Link and Location headers equal in the results", compared, spots, headers)
	t.Logf("%d/%d exchanges read as Harbor sent them", readOK, len(exchanges))
	t.Logf("non-2xx answers: %d/%d are *harbor.Error via errors.As on the raw error, %d/%d via harbor.AsError",
		rawOK, errTotal, asErrOK, errTotal)
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func exchangeExists(xs []*exchange, name string) bool {
	for _, x := range xs {
		if x.Name == name {
			return true
		}
	}
	return false
}
