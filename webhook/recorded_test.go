package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

const capturesDir = "../testdata/harbor-captures/webhooks"

// delivery is one recorded wNNN_<format>_<event>*.txt file.
type delivery struct {
	name, format, path string
	event              EventType
	header             http.Header
	body               []byte
}

func loadDeliveries(t *testing.T) []delivery {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(capturesDir, "w*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures in %s: %v", capturesDir, err)
	}
	var out []delivery
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".txt")
		parts := strings.SplitN(base, "_", 3)
		if parts[1] == "api" {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head, body, ok := bytes.Cut(raw, []byte("\n\n"))
		lines := strings.Split(string(head), "\n")
		if !ok || lines[0] != "### DELIVERY" || !bytes.HasSuffix(body, []byte("\n")) {
			t.Fatalf("%s: not a delivery file", base)
		}
		d := delivery{name: base, format: parts[1], path: strings.TrimPrefix(lines[1], "POST "), header: http.Header{},
			body: body[:len(body)-1]}
		for _, l := range lines[2:] {
			k, v, _ := strings.Cut(l, ": ")
			d.header.Add(k, v)
		}
		ev := parts[2]
		for _, suffix := range []string{"_whk2", "_fail500-try1", "_fail500-try2", "_fail500-try3"} {
			ev = strings.TrimSuffix(ev, suffix)
		}
		d.event = EventType(strings.ToUpper(ev))
		out = append(out, d)
	}
	return out
}

// generic decodes JSON keeping numbers exact.
func generic(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return v
}

// sameJSON re-marshals the decoded value and compares it with the raw JSON
// as values: a field dropped, renamed, mistyped or added shows.
func sameJSON(t *testing.T, what string, decoded any, raw json.RawMessage) {
	t.Helper()
	b, err := json.Marshal(decoded)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := generic(t, b), generic(t, raw); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: decoded and re-encoded\n%s\nsent\n%s", what, b, raw)
	}
}

// checkAgainstRaw compares every top-level field of the raw body with the
// decoded event, and fails on a field it does not know.
func checkAgainstRaw(t *testing.T, name string, body []byte, ev *Event) {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		t.Fatal(err)
	}
	str := func(k string) string {
		var s string
		if err := json.Unmarshal(top[k], &s); err != nil {
			t.Errorf("%s: %s: %v", name, k, err)
		}
		return s
	}
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var ok bool
		switch k {
		case "type":
			ok = str(k) == string(ev.Type) || str(k) == ev.CloudEventsType && cloudEventsTypes[str(k)] == ev.Type
		case "occur_at":
			var n int64
			ok = json.Unmarshal(top[k], &n) == nil && ev.OccurAt.Equal(time.Unix(n, 0)) && ev.OccurAt.Location() == time.UTC
		case "time":
			tm, err := time.Parse(time.RFC3339, str(k))
			ok = err == nil && tm.Equal(ev.OccurAt) && ev.OccurAt.Format(time.RFC3339) == str(k)
		case "operator":
			ok = str(k) == ev.Operator
		case "event_data", "data":
			sameJSON(t, name+" "+k, ev.Data, top[k])
			ok = bytes.Equal(top[k], ev.RawData)
		case "specversion":
			ok = str(k) == "1.0" && ev.Format == CloudEvents
		case "id":
			ok = str(k) == ev.ID && ev.ID == ev.Key
		case "source":
			ok = str(k) == ev.Source
		case "datacontenttype":
			ok = str(k) == "application/json"
		case "requestid":
			ok = str(k) == ev.RequestID
		}
		if !ok {
			t.Errorf("%s: %s = %s does not match the decoded event %+v", name, k, top[k], ev)
		}
	}
}

func TestRecordedDeliveriesDecode(t *testing.T) {
	ds := loadDeliveries(t)
	var decoded, jsonTotal, slack int
	types := map[Format]map[EventType]bool{Default: {}, CloudEvents: {}}
	for _, d := range ds {
		ev, err := Decode(d.body)
		if d.format == "slack" {
			slack++
			if !errors.Is(err, ErrNotHarborPayload) {
				t.Errorf("%s: Slack body decoded: %v", d.name, err)
			}
			continue
		}
		jsonTotal++
		if err != nil {
			t.Errorf("%s: %v", d.name, err)
			continue
		}
		if string(ev.Format) != map[string]string{"default": "Default", "cloudevents": "CloudEvents"}[d.format] || ev.Type != d.event {
			t.Errorf("%s: decoded as %s %s", d.name, ev.Format, ev.Type)
		}
		checkAgainstRaw(t, d.name, d.body, ev)
		types[ev.Format][ev.Type] = true
		decoded++
	}
	for f, seen := range types {
		if len(seen) != 10 {
			t.Errorf("%s: %d event types recorded, want all 10", f, len(seen))
		}
	}
	t.Logf("%d/%d recorded deliveries decode (Default and CloudEvents); %d/%d Slack bodies refused (not JSON)",
		decoded, jsonTotal, slack, slack)
	if decoded != jsonTotal || jsonTotal+slack != 209 {
		t.Errorf("%d of %d deliveries decoded, %d Slack; want all of 209", decoded, jsonTotal, slack)
	}
}

// The same event in both formats has byte-identical data (the README
// checked 59 pairs), which is why Event.RawData is the same for both.
func TestRecordedDataSameInBothFormats(t *testing.T) {
	formats := map[string]map[Format]bool{}
	for _, d := range loadDeliveries(t) {
		if d.format == "slack" {
			continue
		}
		ev, err := Decode(d.body)
		if err != nil {
			t.Fatal(err)
		}
		k := string(ev.Type) + string(ev.RawData)
		if formats[k] == nil {
			formats[k] = map[Format]bool{}
		}
		formats[k][ev.Format] = true
	}
	pairs := 0
	for _, f := range formats {
		if f[Default] && f[CloudEvents] {
			pairs++
		}
	}
	if pairs < 50 {
		t.Errorf("%d events with identical data in both formats, want the recorded ~59", pairs)
	}
}
