package harbor_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/harbor"
)

// errorBodyStub is an in-memory RoundTripper (no sockets, so fuzzing is
// fast) answering every request with status 418, which no operation
// declares, so go-openapi hands the facade a *runtime.APIError and AsError
// decodes the kept body, and the body set by the fuzz function.
type errorBodyStub struct {
	mu   sync.Mutex
	body []byte
}

func (s *errorBodyStub) set(b []byte) {
	s.mu.Lock()
	s.body = b
	s.mu.Unlock()
}

func (s *errorBodyStub) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	body := s.body
	s.mu.Unlock()
	if req.Body != nil {
		_ = req.Body.Close()
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("X-Request-Id", "fuzz-1")
	return &http.Response{
		Status: "418 I'm a teapot", StatusCode: http.StatusTeapot, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: req,
	}, nil
}

// newErrorBodyClient returns a client whose requests stub answers.
func newErrorBodyClient(tb testing.TB, stub *errorBodyStub) *harbor.Client {
	tb.Helper()
	c, err := harbor.NewClient("https://harbor.invalid", harbor.WithoutRetry(), harbor.WithHTTPClient(&http.Client{Transport: stub}))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// FuzzDecodeErrorBody drives Harbor error-body decoding through the public
// path (facade transport, go-openapi, AsError): GetProject answered 418
// with the fuzzed body by an in-memory transport, then harbor.AsError.
// Properties: no panic; AsError finds the answer with its status, method,
// path and request id; Harbor's error JSON gives its items, anything else a
// bounded Body; Error() is one line, starts with the request and mentions
// the status. Seeds: testdata/fuzz/FuzzDecodeErrorBody.
func FuzzDecodeErrorBody(f *testing.F) {
	stub := &errorBodyStub{}
	c := newErrorBodyClient(f, stub)
	f.Fuzz(func(t *testing.T, body []byte) {
		stub.set(body)
		_, err := c.API().Project.GetProject(t.Context(), project.NewGetProjectParams().WithProjectNameOrID("x"))
		if err == nil {
			t.Fatal("a 418 answer gave no error")
		}
		he, ok := harbor.AsError(err)
		if !ok {
			t.Fatalf("AsError found no Harbor answer in %T: %v", err, err)
		}
		if he.StatusCode != http.StatusTeapot || he.Method != "GET" || he.Path != "/api/v2.0/projects/x" || he.RequestID != "fuzz-1" {
			t.Fatalf("wrong request identity: %#v", he)
		}
		var eb struct {
			Errors []harbor.ErrorItem `json:"errors"`
		}
		if json.Unmarshal(body, &eb) == nil && len(eb.Errors) > 0 {
			if len(he.Errors) != len(eb.Errors) {
				t.Fatalf("%d error items, want %d", len(he.Errors), len(eb.Errors))
			}
			for i := range eb.Errors {
				if he.Errors[i] != eb.Errors[i] {
					t.Fatalf("item %d: %#v, want %#v", i, he.Errors[i], eb.Errors[i])
				}
			}
			if he.Body != "" {
				t.Fatalf("both items and a Body: %q", he.Body)
			}
		} else {
			if len(he.Errors) != 0 {
				t.Fatalf("items from a body that is not Harbor's error JSON: %#v", he.Errors)
			}
			if len(he.Body) > 512+len("...") {
				t.Fatalf("Body not bounded: %d bytes", len(he.Body))
			}
		}
		msg := he.Error()
		if strings.ContainsAny(msg, "\n\r") {
			t.Fatalf("Error() spans lines: %q", msg)
		}
		if !strings.HasPrefix(msg, "GET /api/v2.0/projects/x: 418 ") || !strings.HasSuffix(msg, "(request id fuzz-1)") {
			t.Fatalf("Error() = %q", msg)
		}
		if utf8.Valid(body) && !utf8.ValidString(msg) {
			// See TestErrorTextKeepsUTF8.
			t.Fatalf("truncation splits a UTF-8 sequence: %q", msg)
		}
	})
}

// A non-JSON error body is cut at 512 bytes (Body) and 200 bytes (Error());
// the cut must not split a UTF-8 sequence, or the message is no longer valid
// UTF-8 (JSON log handlers then mangle it).
func TestErrorTextKeepsUTF8(t *testing.T) {
	for _, n := range []int{199, 511} {
		stub := &errorBodyStub{}
		stub.set([]byte(strings.Repeat("a", n) + "é" + strings.Repeat("b", 600)))
		c := newErrorBodyClient(t, stub)
		_, err := c.API().Project.GetProject(t.Context(), project.NewGetProjectParams().WithProjectNameOrID("x"))
		he, ok := harbor.AsError(err)
		if !ok {
			t.Fatalf("no Harbor answer: %v", err)
		}
		if !utf8.ValidString(he.Body) || !utf8.ValidString(he.Error()) {
			t.Errorf("cut at %d: Body valid %v, Error() valid %v", n, utf8.ValidString(he.Body), utf8.ValidString(he.Error()))
		}
	}
}
