package webhook

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const recordedAuth = "Bearer whk-secret-123"

type rejection struct {
	status int
	err    error
	header http.Header
}

// newTestHandler returns a handler whose handle function records events and
// fails while fail is set, and whose rejections are recorded.
func newTestHandler(t *testing.T, fail error, opts ...Option) (*Handler, *[]*Event, *[]rejection) {
	t.Helper()
	var mu sync.Mutex
	var events []*Event
	var rejects []rejection
	opts = append([]Option{WithRejectFunc(func(r *http.Request, status int, err error) {
		mu.Lock()
		defer mu.Unlock()
		rejects = append(rejects, rejection{status, err, r.Header.Clone()})
	})}, opts...)
	h, err := NewHandler(recordedAuth, func(_ context.Context, ev *Event) error {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
		return fail
	}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return h, &events, &rejects
}

func serve(h http.Handler, method string, header http.Header, body []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "/hook", bytes.NewReader(body))
	r.Header = header.Clone()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// Every recorded delivery, with its recorded headers, is handled: the http
// ones are decoded and handed over (200), the Slack ones (no auth header,
// invalid JSON) are accepted without being handled (202), so Harbor does not
// retry them.
func TestHandlerRecordedDeliveries(t *testing.T) {
	h, events, rejects := newTestHandler(t, nil)
	open, _, slackRejects := newTestHandler(t, nil, WithoutAuthHeader())
	var handled int
	for _, d := range loadDeliveries(t) {
		if d.format == "slack" {
			if w := serve(h, http.MethodPost, d.header, d.body); w.Code != http.StatusUnauthorized {
				t.Errorf("%s: Slack delivery without auth header answered %d", d.name, w.Code)
			}
			if w := serve(open, http.MethodPost, d.header, d.body); w.Code != http.StatusAccepted {
				t.Errorf("%s: Slack body answered %d, want 202", d.name, w.Code)
			}
			continue
		}
		w := serve(h, http.MethodPost, d.header, d.body)
		if w.Code != http.StatusOK {
			t.Errorf("%s: answered %d %s", d.name, w.Code, w.Body)
			continue
		}
		handled++
		ev := (*events)[len(*events)-1]
		want, _ := Decode(d.body)
		if ev.Type != d.event || ev.Key != want.Key || !bytes.Equal(ev.RawData, want.RawData) {
			t.Errorf("%s: handed %s %s", d.name, ev.Type, ev.Key)
		}
	}
	if handled != 160 || len(*rejects) != 49 || len(*slackRejects) != 49 {
		t.Errorf("handled %d (want 160), %d Slack refused for auth (want 49), %d Slack bodies reported (want 49)",
			handled, len(*rejects), len(*slackRejects))
	}
	for _, r := range *slackRejects {
		if !errors.Is(r.err, ErrNotHarborPayload) {
			t.Errorf("Slack body reported as %v", r.err)
		}
	}
}

// Retries send the same bytes: the key is the same, and differs between events.
func TestHandlerRedeliveryKey(t *testing.T) {
	keys := map[string]string{}
	for _, d := range loadDeliveries(t) {
		if !strings.Contains(d.name, "fail500") {
			continue
		}
		ev, err := Decode(d.body)
		if err != nil {
			t.Fatal(err)
		}
		resource := ev.Data.Resources[0].ResourceURL + " " + ev.Data.Resources[0].Digest
		if k, ok := keys[resource]; ok && k != ev.Key {
			t.Errorf("%s: key %s, earlier attempt %s", d.name, ev.Key, k)
		}
		keys[resource] = ev.Key
	}
	seen := map[string]bool{}
	for _, k := range keys {
		seen[k] = true
	}
	if len(keys) != 14 || len(seen) != 14 {
		t.Errorf("%d events to the failing target with %d keys, want 14 and 14", len(keys), len(seen))
	}
}

func TestHandlerHostileRequests(t *testing.T) {
	var good delivery
	for _, d := range loadDeliveries(t) {
		if d.name == "w011_default_push_artifact" {
			good = d
		}
	}
	withAuth := func(v string, ct string) http.Header {
		h := http.Header{"Content-Type": {ct}}
		if v != "" {
			h.Set("Authorization", v)
		}
		return h
	}
	const marker = "Bearer whk-secret-124-MARKER"
	huge := append([]byte(`{"type":"PUSH_ARTIFACT","occur_at":1,"operator":"`), bytes.Repeat([]byte("a"), 50<<20)...)
	cases := []struct {
		name   string
		method string
		header http.Header
		body   []byte
		status int
	}{
		{"GET", http.MethodGet, withAuth(recordedAuth, "application/json"), good.body, http.StatusMethodNotAllowed},
		{"PUT", http.MethodPut, withAuth(recordedAuth, "application/json"), good.body, http.StatusMethodNotAllowed},
		{"missing auth", http.MethodPost, withAuth("", "application/json"), good.body, http.StatusUnauthorized},
		{"wrong auth", http.MethodPost, withAuth(marker, "application/json"), good.body, http.StatusUnauthorized},
		{"auth prefix", http.MethodPost, withAuth("Bearer whk-secret-12", "application/json"), good.body, http.StatusUnauthorized},
		{"auth with scheme twice", http.MethodPost, withAuth("Bearer "+recordedAuth, "application/json"), good.body, http.StatusUnauthorized},
		{"two auth headers", http.MethodPost, http.Header{"Content-Type": {"application/json"}, "Authorization": {recordedAuth, marker}}, good.body, http.StatusUnauthorized},
		{"text/plain", http.MethodPost, withAuth(recordedAuth, "text/plain"), good.body, http.StatusUnsupportedMediaType},
		{"no content type", http.MethodPost, withAuth(recordedAuth, ""), good.body, http.StatusUnsupportedMediaType},
		{"50 MB body", http.MethodPost, withAuth(recordedAuth, "application/json"), huge, http.StatusRequestEntityTooLarge},
		{"broken JSON", http.MethodPost, withAuth(recordedAuth, "application/json"), good.body[:len(good.body)-3], http.StatusAccepted},
		{"empty body", http.MethodPost, withAuth(recordedAuth, "application/json"), nil, http.StatusAccepted},
		{"JSON array", http.MethodPost, withAuth(recordedAuth, "application/json"), []byte(`[1,2]`), http.StatusAccepted},
		{"no type", http.MethodPost, withAuth(recordedAuth, "application/json"), []byte(`{"occur_at":1,"event_data":{}}`), http.StatusAccepted},
		{"data not an object", http.MethodPost, withAuth(recordedAuth, "application/json"), []byte(`{"type":"PUSH_ARTIFACT","occur_at":1,"event_data":"x"}`), http.StatusAccepted},
		{"Default as CloudEvents", http.MethodPost, withAuth(recordedAuth, "application/cloudevents+json"), good.body, http.StatusAccepted},
		{"Slack-style body", http.MethodPost, withAuth(recordedAuth, "application/json"), []byte("{\"blocks\": [{\"text\": \"```{\n\t\\\"a\\\": 1\n}```\"}]}"), http.StatusAccepted},
		{"CloudEvents 0.3", http.MethodPost, withAuth(recordedAuth, "application/cloudevents+json"), []byte(`{"specversion":"0.3","id":"x","type":"harbor.artifact.pushed","time":"2026-12-07T11:36:45Z"}`), http.StatusAccepted},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logs bytes.Buffer
			defer log.SetOutput(log.Writer())
			log.SetOutput(&logs)
			h, events, _ := newTestHandler(t, nil)
			def, err := NewHandler(recordedAuth, func(context.Context, *Event) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			w := serve(h, c.method, c.header, c.body)
			wd := serve(def, c.method, c.header, c.body)
			if w.Code != c.status || wd.Code != c.status {
				t.Fatalf("answered %d %q, want %d", w.Code, w.Body, c.status)
			}
			if len(*events) != 0 {
				t.Fatalf("handed %d events", len(*events))
			}
			if c.status == http.StatusMethodNotAllowed && w.Header().Get("Allow") != "POST" {
				t.Errorf("Allow %q", w.Header().Get("Allow"))
			}
			out := w.Body.String() + wd.Body.String() + logs.String()
			if !strings.Contains(logs.String(), "webhook: ") || strings.Contains(out, "whk-secret") {
				t.Errorf("answer and default log: %q", out)
			}
		})
	}
}

// The handle function's error makes Harbor retry (500), and its text stays
// out of the answer Harbor quotes in its task log; the reject function gets
// it, without the Authorization header.
func TestHandlerHandleErrorRetried(t *testing.T) {
	d := loadDeliveries(t)[1]
	h, events, rejects := newTestHandler(t, errors.New("database down: password=hunter2"))
	w := serve(h, http.MethodPost, d.header, d.body)
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "hunter2") {
		t.Fatalf("answered %d %q", w.Code, w.Body)
	}
	if len(*events) != 1 || len(*rejects) != 1 {
		t.Fatalf("%d events, %d rejections", len(*events), len(*rejects))
	}
	r := (*rejects)[0]
	if r.status != 500 || !strings.Contains(r.err.Error(), "hunter2") || r.header.Get("Authorization") != "" {
		t.Errorf("rejection %d %v %v", r.status, r.err, r.header)
	}
	if d.header.Get("Authorization") != recordedAuth {
		t.Errorf("the caller's request lost its header")
	}
}

func TestNewHandlerRefusesBadInput(t *testing.T) {
	ok := func(context.Context, *Event) error { return nil }
	for name, f := range map[string]func() (*Handler, error){
		"nil handle":    func() (*Handler, error) { return NewHandler(recordedAuth, nil) },
		"empty auth":    func() (*Handler, error) { return NewHandler("", ok) },
		"zero max body": func() (*Handler, error) { return NewHandler(recordedAuth, ok, WithMaxBodyBytes(0)) },
		"nil reject":    func() (*Handler, error) { return NewHandler(recordedAuth, ok, WithRejectFunc(nil)) },
	} {
		if h, err := f(); err == nil || h != nil || !strings.HasPrefix(err.Error(), "webhook: NewHandler: ") {
			t.Errorf("%s: %v, %v", name, h, err)
		}
	}
	if _, err := NewHandler("", ok, WithoutAuthHeader()); err != nil {
		t.Errorf("WithoutAuthHeader: %v", err)
	}
}

// A body of unknown length (chunked) is cut at the limit, not read whole.
func TestHandlerBoundsChunkedBody(t *testing.T) {
	h, events, rejects := newTestHandler(t, nil, WithMaxBodyBytes(1<<10))
	var read int64
	body := &countingReader{n: &read, left: 50 << 20}
	r := httptest.NewRequest(http.MethodPost, "/hook", body)
	r.ContentLength = -1
	r.Header.Set("Authorization", recordedAuth)
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge || len(*events) != 0 || len(*rejects) != 1 || read > 1<<10+512 {
		t.Errorf("answered %d after reading %d bytes", w.Code, read)
	}
}

type countingReader struct {
	n    *int64
	left int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.left == 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), c.left, 512)
	for i := range p[:n] {
		p[i] = ' '
	}
	c.left -= n
	*c.n += n
	return int(n), nil
}

// The auth header (or its hash) shows in no fmt verb of the handler.
func TestHandlerHidesAuthHeader(t *testing.T) {
	h, _, _ := newTestHandler(t, nil)
	sum := sha256.Sum256([]byte(recordedAuth))
	for _, out := range []string{fmt.Sprintf("%v %+v %#v", h, h, h), fmt.Sprintf("%+v %#v", *h, *h)} {
		decimal := strings.TrimSuffix(fmt.Sprint(sum[:4]), "]")                                         // %v, %+v
		goSyntax := strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%#v", sum[:3]), "[]byte{"), "}") // %#v
		if strings.Contains(out, "whk-secret") || strings.Contains(out, hex.EncodeToString(sum[:])) ||
			strings.Contains(out, decimal) || strings.Contains(out, goSyntax) {
			t.Errorf("printed: %s", out)
		}
	}
}

// A content type with parameters is still the format's; Decode of nothing
// is an error, not a panic.
func TestHandlerContentTypeParameters(t *testing.T) {
	var ce delivery
	for _, d := range loadDeliveries(t) {
		if d.format == "cloudevents" {
			ce = d
			break
		}
	}
	h, events, _ := newTestHandler(t, nil)
	hdr := ce.header.Clone()
	hdr.Set("Content-Type", "application/cloudevents+json; charset=utf-8")
	if w := serve(h, http.MethodPost, hdr, ce.body); w.Code != http.StatusOK || len(*events) != 1 {
		t.Fatalf("answered %d, %d events", w.Code, len(*events))
	}
	if _, err := Decode(nil); !errors.Is(err, ErrNotHarborPayload) {
		t.Errorf("Decode(nil): %v", err)
	}
}

// Requests at once share nothing: each gets its own event.
func TestHandlerConcurrentRequests(t *testing.T) {
	h, events, _ := newTestHandler(t, nil)
	ds := loadDeliveries(t)
	var wg sync.WaitGroup
	want := 0
	for _, d := range ds {
		if d.format == "slack" {
			continue
		}
		want++
		wg.Add(1)
		go func() {
			defer wg.Done()
			if w := serve(h, http.MethodPost, d.header, d.body); w.Code != http.StatusOK {
				t.Errorf("%s: %d", d.name, w.Code)
			}
		}()
	}
	wg.Wait()
	if len(*events) != want {
		t.Errorf("%d events, want %d", len(*events), want)
	}
}
