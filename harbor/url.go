package harbor

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// NormalizeURL turns what a user may call a Harbor URL into the API base
// URL NewClient uses (see NewClient for the accepted forms). Its errors
// quote the input.
func NormalizeURL(raw string) (*url.URL, error) {
	quoted := redactUserInfo(raw) // every error below quotes the input, never a password in it
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, errors.New("harbor: URL is empty")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		if quoted != raw {
			return nil, fmt.Errorf("harbor: URL %q does not parse", quoted) // url.Error quotes the raw URL
		}
		return nil, fmt.Errorf("harbor: URL %q does not parse: %w", quoted, unwrapURLError(err))
	}
	switch {
	case u.User != nil:
		return nil, fmt.Errorf("harbor: URL %q: user info in the URL is not allowed; use WithBasicAuth", quoted)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("harbor: URL %q: scheme %q is not http or https", quoted, u.Scheme)
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("harbor: URL %q: a query is not allowed", quoted)
	case u.Fragment != "" || strings.Contains(s, "#"):
		return nil, fmt.Errorf("harbor: URL %q: a fragment is not allowed", quoted)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("harbor: URL %q has no host", quoted)
	case u.Opaque != "":
		return nil, fmt.Errorf("harbor: URL %q is not a hierarchical URL", quoted)
	}
	p := strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(p, apiBasePath) {
		p += apiBasePath
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host, Path: p}, nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// redactUserInfo hides whatever stands between "scheme://" (or the start)
// and an "@" in the authority, so a password given in the URL never lands in
// an error, whether or not the URL parses.
func redactUserInfo(raw string) string {
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + 3
	}
	rest := raw[start:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return raw
	}
	return raw[:start] + "xxxxx@" + rest[at+1:]
}
