package harbor_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbor"
)

// Fuzz targets of the facade's input parsing. Their seed corpora are in
// testdata/fuzz/<FuzzName>/ and run with every `go test`; internal/fuzz/run.sh
// fuzzes each target for a bounded time (FUZZTIME, default 10s).

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
