package harbor

import (
	"context"
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
// URLs in its errors come from the server's Location: auth redacts them.
func (o origin) checkRedirect(auth *clientAuth) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		auth := auth.forCall(req.Context())
		to := auth.redact(req.URL.Redacted())
		if !o.contains(req.URL) {
			return &redirectError{from: auth.redact(via[len(via)-1].URL.Redacted()), to: to, origin: o.String()}
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
}

// clientAuth is what the transport sends as Authorization, and the
// strings that must never appear in an error text built from an answer.
type clientAuth struct {
	header  []string // shared read-only value of the Authorization header; nil: anonymous
	secrets []string // the secret and its encoded forms, longest first
	session *session // nil: basic auth only (see session.go)
}

func newClientAuth(auth *basicAuth) *clientAuth {
	if auth == nil {
		return &clientAuth{}
	}
	secret := auth.secret.Reveal()
	token := base64.StdEncoding.EncodeToString([]byte(auth.username + ":" + secret))
	c := &clientAuth{header: []string{"Basic " + token}}
	c.addSecret(token)
	c.addSecret(secret)
	return c
}

// addSecret adds s as sent and as a server may quote it in a URL (a
// Location), keeping the list longest first.
func (c *clientAuth) addSecret(s string) {
	for _, form := range secretForms(s) {
		if !slices.Contains(c.secrets, form) {
			c.secrets = append(c.secrets, form)
		}
	}
	slices.SortFunc(c.secrets, func(a, b string) int { return len(b) - len(a) })
}

// secretForms is s as sent and as a server may quote it in a URL, but for
// forms shorter than 4 bytes, which would redact common words.
func secretForms(s string) []string {
	var forms []string
	for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
		if len(form) >= 4 {
			forms = append(forms, form)
		}
	}
	return forms
}

// bodySecretKey is the context key under which a call that sends a secret
// in its request body (RefreshRobotSecret's chosen robot secret) names it,
// so that the error and the log record of its answer redact it as they
// redact the client's own credentials.
type bodySecretKey struct{}

func withBodySecret(ctx context.Context, secret string) context.Context {
	return context.WithValue(ctx, bodySecretKey{}, secret)
}

// forCall returns the redaction for one call: the client's, plus the
// secret its context names (see withBodySecret).
func (c *clientAuth) forCall(ctx context.Context) *clientAuth {
	secret, _ := ctx.Value(bodySecretKey{}).(string)
	if secret == "" {
		return c
	}
	call := &clientAuth{header: c.header, secrets: slices.Clone(c.secrets), session: c.session}
	call.addSecret(secret)
	return call
}

// redact replaces the client's secret, in any form it knows, in a text
// taken from an answer (a hostile server may echo the request's headers).
func (c *clientAuth) redact(s string) string {
	for _, secret := range c.secrets {
		s = strings.ReplaceAll(s, secret, "xxxxx")
	}
	if c.session != nil {
		s = c.session.redact(s)
	}
	return s
}

// redactItems redacts Harbor's error items as decoded (a JSON escape can
// hide a secret from redact on the raw text) and reports whether any
// changed.
func (c *clientAuth) redactItems(items []ErrorItem) bool {
	changed := false
	for i, it := range items {
		items[i] = ErrorItem{Code: c.redact(it.Code), Message: c.redact(it.Message)}
		changed = changed || items[i] != it
	}
	return changed
}
