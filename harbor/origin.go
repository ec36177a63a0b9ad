package harbor

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Credentials never leave their origin: the scheme, host and port the
// client was built for. Every request starts there (the runtime's host is
// the client's), with the Authorization header submit.go sets; the
// http.Client refuses to follow a redirect that leaves the origin, https to
// http on the same host or another port included, with an error naming both
// URLs, so the header is never sent elsewhere (net/http itself would keep it
// on a redirect to the same host with another port or scheme). Redirects
// within the origin are followed.

// origin is a scheme, a host and a port (explicit or the scheme's default).
type origin struct{ scheme, host, port string }

func newOrigin(u *url.URL) origin {
	o := origin{scheme: strings.ToLower(u.Scheme), host: strings.ToLower(u.Hostname()), port: u.Port()}
	if o.port == "" {
		o.port = defaultPort(o.scheme)
	}
	return o
}

func defaultPort(scheme string) string {
	if scheme == "https" {
		return "443"
	}
	return "80"
}

// contains reports whether u is in the origin.
func (o origin) contains(u *url.URL) bool {
	port := u.Port()
	if port == "" {
		port = defaultPort(strings.ToLower(u.Scheme))
	}
	return strings.EqualFold(u.Scheme, o.scheme) && strings.EqualFold(u.Hostname(), o.host) && port == o.port
}

func (o origin) String() string { return o.scheme + "://" + o.host + ":" + o.port }

// checkRedirect returns the http.Client's CheckRedirect: redirects that
// stay within the origin are followed (10 at most, as net/http does),
// others refused; one that would change the method (a POST answered 302
// becomes a GET) is not followed, so the 3xx is the call's *Error. The
// URLs in its errors come from the server's Location: they are redacted.
func (o origin) checkRedirect(req *http.Request, via []*http.Request) error {
	c := callOf(req.Context())
	to := c.redact(req.URL.Redacted())
	if !o.contains(req.URL) {
		return &redirectError{from: c.redact(via[len(via)-1].URL.Redacted()), to: to, origin: o.String()}
	}
	if req.Method != via[0].Method {
		// A write answered 301/302/303 would be sent again as a GET
		// and that answer read as the write's: the 3xx is the answer
		// (an *Error naming its Location).
		return http.ErrUseLastResponse
	}
	if len(via) >= 10 {
		return fmt.Errorf("harbor: stopped after 10 redirects, the last to %s", to)
	}
	return nil
}

// clientAuth is what the transport sends as Authorization, and the
// strings that must never appear in an error text or a log record built
// from an answer.
type clientAuth struct {
	header  []string // shared read-only value of the Authorization header; nil: anonymous
	secrets []string // every form of the secret and of the header's token, longest first
	session *session // nil: basic auth only (see session.go)
}

func newClientAuth(auth *basicAuth) *clientAuth {
	if auth == nil {
		return &clientAuth{}
	}
	secret, pair := auth.secret.Reveal(), []byte(auth.username+":"+auth.secret.Reveal())
	// The token without its "=" padding is a prefix of the padded one, so
	// both are redacted; URL-safe base64 differs where the token holds + or /.
	var secrets []string
	for _, s := range []string{secret, base64.RawStdEncoding.EncodeToString(pair), base64.RawURLEncoding.EncodeToString(pair)} {
		secrets = appendForms(secrets, s)
	}
	return &clientAuth{header: []string{"Basic " + base64.StdEncoding.EncodeToString(pair)}, secrets: secrets}
}

// secretForms is s as sent and as a server may quote it in a URL (a
// Location), but for forms shorter than 4 bytes, which would redact common
// words.
func secretForms(s string) []string {
	var forms []string
	for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
		if len(form) >= 4 {
			forms = append(forms, form)
		}
	}
	return forms
}

// appendForms appends the forms of s to secrets, keeping the list longest
// first.
func appendForms(secrets []string, s string) []string {
	for _, form := range secretForms(s) {
		if !slices.Contains(secrets, form) {
			secrets = append(secrets, form)
		}
	}
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	return secrets
}

// redact replaces every form of the client's secret, of its session's keys
// and of extra (a secret one call's body carries) in s.
func (c *clientAuth) redact(s, extra string) string {
	secrets := c.secrets
	if extra != "" {
		secrets = appendForms(slices.Clone(secrets), extra)
	}
	for _, secret := range secrets {
		s = strings.ReplaceAll(s, secret, "xxxxx")
	}
	if c.session != nil {
		s = c.session.redact(s)
	}
	return s
}
