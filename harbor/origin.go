package harbor

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// origin is a scheme, a host and a port (explicit or the scheme's default):
// the client's credentials are never sent outside it (net/http itself would
// keep them on a redirect to the same host with another port or scheme).
type origin struct{ scheme, host, port string }

func newOrigin(u *url.URL) origin {
	o := origin{scheme: strings.ToLower(u.Scheme), host: strings.ToLower(u.Hostname()), port: u.Port()}
	if o.port == "" {
		o.port = "80"
		if o.scheme == "https" {
			o.port = "443"
		}
	}
	return o
}

func (o origin) contains(u *url.URL) bool { return newOrigin(u) == o }

// checkRedirect is the http.Client's CheckRedirect: redirects within the
// origin are followed (10 at most, as net/http does), others refused. The
// URLs in its errors come from the server's Location: they are redacted.
func (o origin) checkRedirect(req *http.Request, via []*http.Request) error {
	c := callOf(req.Context())
	to := c.redact(req.URL.Redacted())
	if !o.contains(req.URL) {
		return &redirectError{from: c.redact(via[len(via)-1].URL.Redacted()), to: to, origin: o.scheme + "://" + o.host + ":" + o.port}
	}
	if req.Method != via[0].Method {
		// A write answered 301/302/303 would be sent again as a GET and that
		// answer read as the write's: the 3xx is the answer.
		return http.ErrUseLastResponse
	}
	if len(via) >= 10 {
		return fmt.Errorf("harbor: stopped after 10 redirects, the last to %s", to)
	}
	return nil
}

// clientAuth is what the transport sends as Authorization, and the
// strings no error or log record built from an answer may hold.
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

// appendForms adds s as sent and as quoted in a URL (a Location) to secrets,
// longest first; forms shorter than 4 bytes would redact common words.
func appendForms(secrets []string, s string) []string {
	for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
		if len(form) >= 4 && !slices.Contains(secrets, form) {
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
