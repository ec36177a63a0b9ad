package harbor_test

// Fuzz targets of the facade's input parsing. Their seed corpora are in
// testdata/fuzz/<FuzzName>/ and run with every `go test`; internal/fuzz/run.sh
// fuzzes each target for a bounded time (FUZZTIME, default 10s).

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/harbor"
)

// FuzzNormalizeURL: the URL check behind NewClient (exposed to tests by
// export_inputs_test.go) never panics; a success is an http or https URL
// with a host, a port (if any) between 1 and 65535, an IPv6 address only in
// brackets, a path ending in /api/v2.0 and no user info, query or fragment,
// which normalises to itself; an error never repeats a password given in
// the input's user info. Seeds: testdata/fuzz/FuzzNormalizeURL and below.
func FuzzNormalizeURL(f *testing.F) {
	for _, seed := range []string{
		// refused (issue 12): no Harbor can live there
		"::::", "::1", "http:/h", "https:h", "https://h:99999", "https://h:443:443", "https://h:0", "https://h:",
		"https://[::1", "https://[::1]x", "https://[1.2.3.4]", "https://a..b", "https://h%41", "https://h\x00",
		"http:/admin:S3cretPW@h", "admin:S3cretPW@::1",
		// accepted
		"harbor.example.com", "localhost:8080", "[::1]:8443", "https://[fe80::1%25eth0]:8443/api/v2.0/",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := harbor.NormalizeURL(raw)
		if err != nil {
			msg := err.Error()
			if u != nil {
				t.Fatalf("both a URL and an error: %v, %v", u, err)
			}
			if !strings.HasPrefix(msg, "harbor: ") {
				t.Fatalf("error without the harbor: prefix: %q", msg)
			}
			if strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error spans lines: %q", msg)
			}
			if pw, ok := rawPassword(raw); ok && leaksPassword(raw, pw, msg) {
				// See TestNormalizeURLErrorNeverRevealsPassword in secrets_test.go.
				t.Fatalf("NormalizeURL's error repeats the URL's password: %q", msg)
			}
			return
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			t.Fatalf("%q: scheme %q", raw, u.Scheme)
		}
		if u.Host == "" || u.Hostname() == "" {
			t.Fatalf("%q: no host in %v", raw, u)
		}
		if p := u.Port(); p != "" {
			if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
				t.Fatalf("%q: port %q accepted", raw, p)
			}
		}
		if !strings.HasPrefix(u.Host, "[") && strings.Count(u.Host, ":") > 1 {
			t.Fatalf("%q: host %q is a bare IPv6 address or has two ports", raw, u.Host)
		}
		if !strings.HasSuffix(u.Path, "/api/v2.0") {
			t.Fatalf("%q: path %q", raw, u.Path)
		}
		if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.Opaque != "" {
			t.Fatalf("%q: user info, query, fragment or opaque part kept in %#v", raw, u)
		}
		again, err := harbor.NormalizeURL(u.String())
		if err != nil {
			t.Fatalf("%q: the normal form %q is refused: %v", raw, u.String(), err)
		}
		if again.String() != u.String() {
			t.Fatalf("%q: not idempotent: %q then %q", raw, u.String(), again.String())
		}
	})
}

// rawPassword returns the password of raw's user info as written (before
// any unescaping), found the way NormalizeURL reads the authority.
func rawPassword(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	_, rest, ok := strings.Cut(s, "://")
	if !ok {
		rest = s
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return "", false
	}
	_, pw, ok := strings.Cut(rest[:at], ":")
	return pw, ok && pw != ""
}

// leaksPassword reports whether msg shows pw: as written, and, when pw is
// long and unique enough to be recognised, unescaped too.
func leaksPassword(raw, pw, msg string) bool {
	if strings.Contains(msg, ":"+pw+"@") && strings.Count(raw, ":"+pw+"@") == 1 {
		return true // (when raw repeats it, e.g. in the fragment, the copy in msg may be that one)
	}
	if len(pw) < 6 || strings.Count(raw, pw) != 1 {
		return false // a short or repeated password may legitimately appear as host or path
	}
	if strings.Contains(msg, pw) {
		return true
	}
	if dec, err := url.PathUnescape(pw); err == nil && len(dec) >= 6 && strings.Contains(msg, dec) && !strings.Contains(strings.Replace(raw, pw, "", 1), dec) {
		return true
	}
	return false
}

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
