package harbor_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-openapi/strfmt"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/scanner"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/internal/bench"
)

// TestJSONConsumerMatchesGoOpenAPI checks that the facade's JSON consumer
// (harbor/consumers.go) decodes exactly what go-openapi's consumer in the
// raw generated client decodes, errors included.
func TestJSONConsumerMatchesGoOpenAPI(t *testing.T) {
	var body atomic.Pointer[string]
	mux := http.NewServeMux()
	serve := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, *body.Load())
	}
	mux.HandleFunc("GET /api/v2.0/projects", serve)
	mux.HandleFunc("GET /api/v2.0/scanners", serve)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	raw := newRawClient(t, srv.URL+"/api/v2.0")
	facade := newFacade(t, srv.URL)
	ctx := context.Background()

	times := []string{
		`"2026-11-26T21:30:21.147Z"`, `"0001-01-01T00:00:00.000Z"`, `"2026-11-26T21:30:21.147123Z"`,
		`"2026-11-26T21:30:21Z"`, `"2026-11-26T21:30:21.147+08:00"`, `"2026-11-26T21:30:21.147+0800"`,
		`"2026-11-26T21:30:21.1Z"`, `"2026-11-26T21:30:21.147123456Z"`, `null`, `""`,
		`"2026-11-26T21:30:21\u002e147Z"`, `"2026-13-26T21:30:21.147Z"`, `"2026-02-30T21:30:21.147Z"`,
		`"2026-11-26T24:30:21.147Z"`, `"2026-11-26 21:30:21"`, `"2026-11-26"`, `1798320643`, `"x"`,
		`"2024-02-29T00:00:00.000Z"`, `"2026-02-29T00:00:00.000Z"`, `"2100-02-29T12:00:00.000Z"`,
		`"2000-02-29T12:00:00.000Z"`, `"2026-04-31T00:00:00.000Z"`, `"2026-12-31T23:59:59.999Z"`,
		`"2026-00-10T00:00:00.000Z"`, `"2026-11-00T00:00:00.000Z"`, `"2026-11-32T00:00:00.000Z"`,
		`"2026-11-26T23:60:00.000Z"`, `"2026-11-26T23:59:60.000Z"`, `"0000-01-01T00:00:00.000Z"`,
		`"9999-12-31T23:59:59.999Z"`, `"2026-11-26T21:30:21.147z"`, `"2026-11-26t21:30:21.147Z"`,
		`"2026-11-26T21:30:21,147Z"`, `"+026-11-26T21:30:21.147Z"`, `"2026-1-026T21:30:21.147Z"`,
		`"2026-11-26T12:30:60.000Z"`, `"2026-11-26T12:60:00.000Z"`, `"2026-11-26T99:00:00.000Z"`,
	}
	var bodies []string
	for _, ts := range times {
		bodies = append(bodies, `[{"name":"a","creation_time":`+ts+`,"cve_allowlist":{"update_time":`+ts+`}}]`)
	}
	bodies = append(bodies, string(bench.ProjectsPage(100)), "", "  \n", "[]", "null",
		`[{"name":"a"}] trailing`, `[{"name":"a"}]{"x":1}`, `[{"name":1}]`, `[{"name":"a",`, `{"name":"a"}`,
		`[{"name":"a","metadata":{"public":"true","unknown":"x"},"repo_count":1e3}]`)

	check := func(t *testing.T, b string) {
		body.Store(&b)
		r1, err1 := raw.Project.ListProjects(ctx, project.NewListProjectsParams())
		r2, err2 := facade.API().Project.ListProjects(ctx, project.NewListProjectsParams())
		// The facade reports a body that does not decode as ErrUnexpectedContent
		// around the decoder's own error.
		if (err1 == nil) != (err2 == nil) || (err1 != nil && (!errors.Is(err2, harbor.ErrUnexpectedContent) || !strings.Contains(err2.Error(), err1.Error()))) {
			t.Fatalf("body %q: errors differ:\n raw:    %v\n facade: %v", b, err1, err2)
		}
		if err1 == nil && !reflect.DeepEqual(r1.Payload, r2.Payload) {
			t.Fatalf("body %q: payloads differ:\n raw:    %#v\n facade: %#v", b, r1.Payload, r2.Payload)
		}
	}
	for _, b := range bodies {
		check(t, b)
	}

	// Numbers in untyped fields stay json.Number.
	caps := `[{"name":"trivy","capabilities":{"n":1.50,"big":12345678901234567890,"list":[1,2]}}]`
	body.Store(&caps)
	s1, err1 := raw.Scanner.ListScanners(ctx, scanner.NewListScannersParams())
	s2, err2 := facade.API().Scanner.ListScanners(ctx, scanner.NewListScannersParams())
	if err1 != nil || err2 != nil || !reflect.DeepEqual(s1.Payload, s2.Payload) {
		t.Fatalf("scanners: raw %v %#v, facade %v %#v", err1, s1, err2, s2)
	}
	if n, ok := s2.Payload[0].Capabilities.(map[string]any)["n"].(json.Number); !ok || n != "1.50" {
		t.Fatalf("capabilities.n = %#v, want json.Number(\"1.50\")", s2.Payload[0].Capabilities)
	}

	// A changed strfmt.DateTimeFormats is honoured (the test changes the
	// global; the facade never does).
	saved := strfmt.DateTimeFormats
	defer func() { strfmt.DateTimeFormats = saved }()
	for _, formats := range [][]string{
		{strfmt.ISO8601TimeUniversalSortableDateTimePatternShortForm},
		{time.RFC3339, strfmt.RFC3339Millis},
		{strfmt.RFC3339Micro, strfmt.RFC3339MillisNoColon},
	} {
		strfmt.DateTimeFormats = formats
		for _, ts := range times[:8] {
			check(t, `[{"name":"a","creation_time":`+ts+`}]`)
		}
	}
}
