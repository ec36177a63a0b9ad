package harbor

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// normalizeURL turns what a user may call a Harbor URL into the API base
// URL (see NewClient). It refuses every URL that cannot name a Harbor with
// an error that quotes the input, never a password in it.
func normalizeURL(raw string) (*url.URL, error) {
	quoted := redactUserInfo(raw)
	bad := func(why string, args ...any) (*url.URL, error) {
		return nil, fmt.Errorf("harbor: URL %q"+why, append([]any{quoted}, args...)...)
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, errors.New("harbor: URL is empty")
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return bad(" contains a control character")
	}
	if !strings.Contains(s, "://") {
		if scheme, ok := schemeWithoutSlashes(s); ok {
			return bad(`: %q looks like a scheme without "//"; write %s://host`, scheme, scheme)
		}
		s = "https://" + s
	}
	scheme, rest, _ := strings.Cut(s, "://")
	if scheme = strings.ToLower(scheme); scheme != "http" && scheme != "https" {
		return bad(": scheme %q is not http or https", scheme)
	}
	authority, _, _ := strings.Cut(rest, "/")
	authority, _, _ = strings.Cut(authority, "?")
	authority, _, _ = strings.Cut(authority, "#")
	if strings.Contains(authority, "@") {
		return bad(": user info in the URL is not allowed; use WithBasicAuth")
	}
	if problem := checkAuthority(authority); problem != "" {
		return bad("%s", problem)
	}
	u, err := url.Parse(s)
	switch {
	case err != nil && quoted != raw:
		return bad(" does not parse") // url.Error quotes the raw URL
	case err != nil:
		return bad(" does not parse: %w", errors.Unwrap(err)) // the *url.Error's cause, without the URL
	case u.RawQuery != "" || u.ForceQuery:
		return bad(": a query is not allowed")
	case u.Fragment != "" || strings.Contains(s, "#"):
		return bad(": a fragment is not allowed")
	case u.Opaque != "" || u.User != nil || u.Host == "":
		return bad(" is not a hierarchical URL with a host")
	}
	p := strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(p, apiBasePath) {
		p += apiBasePath
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host, Path: p}, nil
}

// schemeWithoutSlashes reports whether s starts like "http:/h" or "https:h":
// a scheme and a colon not followed by a port number.
func schemeWithoutSlashes(s string) (string, bool) {
	scheme, rest, ok := strings.Cut(s, ":")
	web := strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https")
	if !ok || scheme == "" || !web && rest != "" && rest[0] != '/' {
		return "", false // "localhost:8080", "h:abc": a host and a port, checked later
	}
	for i, r := range scheme {
		if !isAlnum(r) && (i == 0 || !strings.ContainsRune("+-.", r)) || i == 0 && unicode.IsDigit(r) {
			return "", false
		}
	}
	return scheme, true
}

// isAlnum reports whether r is an ASCII letter or digit.
func isAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

// checkAuthority checks host[:port] and returns what is wrong, as the end of
// a sentence that starts with the quoted URL (": port 0 ..." or " does not
// parse: ..."), or "".
func checkAuthority(authority string) string {
	host, port, hasPort := authority, "", false
	if h, ok := strings.CutPrefix(authority, "["); ok {
		h, after, ok := strings.Cut(h, "]")
		switch {
		case !ok:
			return " does not parse: missing ']' after the IPv6 address"
		case after != "" && after[0] != ':':
			return fmt.Sprintf(": %q after the IPv6 address is not a port", after)
		case after != "":
			port, hasPort = after[1:], true
		}
		zoneless, zone, hasZone := strings.Cut(h, "%")
		if a, err := netip.ParseAddr(zoneless); err != nil || !a.Is6() {
			return fmt.Sprintf(": %q in brackets is not an IPv6 address", h)
		}
		if name, ok := strings.CutPrefix(zone, "25"); hasZone && (!ok || name == "") {
			return fmt.Sprintf(": the zone of the IPv6 address must be written %%25 and an interface name, e.g. [fe80::1%%25eth0], not %%%s", zone)
		} else if i := strings.IndexFunc(name, func(r rune) bool { return !isAlnum(r) && !strings.ContainsRune("._~-", r) }); hasZone && i >= 0 {
			// The zone is read back as written: no escapes, so that the normalised URL names the same host.
			return fmt.Sprintf(": the zone %q of the IPv6 address contains %q; an interface name holds only letters, digits, '.', '_', '~' and '-'", name, []rune(name[i:])[0])
		}
	} else {
		if strings.Count(authority, ":") > 1 {
			if a, err := netip.ParseAddr(authority); err == nil && a.Is6() {
				return fmt.Sprintf(": the IPv6 address %s must be written in brackets, e.g. [%s]:443", authority, authority)
			}
			return fmt.Sprintf(": %q is neither host[:port] nor an IPv6 address in brackets ([::1]:443)", authority)
		}
		host, port, hasPort = strings.Cut(authority, ":")
		if problem := checkHostname(host); problem != "" {
			return problem
		}
	}
	n, err := strconv.Atoi(port)
	switch {
	case !hasPort:
		return ""
	case port == "":
		return ": the port after ':' is empty"
	case err != nil || strings.ContainsAny(port, "+-"):
		return fmt.Sprintf(": port %q is not a number", port)
	case n < 1 || n > 65535:
		return fmt.Sprintf(": port %d is not between 1 and 65535", n)
	}
	return ""
}

// checkHostname checks a DNS name or IPv4 address: non-empty labels of ASCII
// letters, digits, '-' and '_' (url.URL.String would escape anything else).
func checkHostname(host string) string {
	switch {
	case host == "":
		return " has no host"
	case len(host) > 253:
		return ": the host name is longer than 253 characters"
	case strings.Contains("."+strings.TrimSuffix(host, ".")+".", ".."):
		return fmt.Sprintf(": host %q has an empty label (\"..\" or a leading dot)", host)
	}
	for _, r := range host {
		switch {
		case r > unicode.MaxASCII:
			return fmt.Sprintf(": host %q is not ASCII; write its IDNA form (xn--...)", host)
		case !isAlnum(r) && !strings.ContainsRune("-_.", r):
			return fmt.Sprintf(" does not parse: host %q contains %q, which a host name cannot", host, r)
		}
	}
	return ""
}

// redactUserInfo hides whatever stands between "scheme://" (or the start)
// and the last "@" before any query or fragment, even in a URL that does
// not parse.
func redactUserInfo(raw string) string {
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + 3
	}
	rest := raw[start:]
	end := strings.IndexAny(rest, "?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return raw
	}
	return raw[:start] + "xxxxx@" + rest[at+1:]
}
