package harbor

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Sessions. Harbor hashes a user's password (PBKDF2, 600,000 iterations
// since v2.15) on every request authenticated with basic auth: about 170 ms
// of its CPU. Its web UI logs in once (POST /c/login) and sends the session
// cookie instead, which costs Harbor about 2 ms. A client built with a user's
// basic auth does the same (WithoutSessions turns it off):
//
//   - it logs in on its first call, as the UI does: a POST /c/login without a
//     token is refused 403 with Harbor's CSRF cookie and token, the second,
//     with them and the form principal/password, answers 200 and a sid;
//     concurrent calls wait for that one login;
//   - each request then carries the sid (never Authorization as well: basic
//     auth is checked first and would cost the hash), and writes the CSRF
//     token; a 403 CSRF refusal takes the token it carries and is sent again,
//     once;
//   - a session Harbor no longer knows (expired after session_timeout idle
//     minutes, logged out, a restarted Redis) is never read as an answer:
//     Harbor answers it 401, or, for a public read, 200 with public data only
//     and a new sid cookie (its session store starts a new session). Both
//     make the client log in again (once for all calls waiting) and send the
//     request again; if a fresh session is not recognised either, the client
//     uses basic auth from then on;
//   - robots (a name starting with the robot prefix), and users /c/login
//     refuses (OIDC, a CLI secret, a wrong password: 401 or 403) keep basic
//     auth, as does a Harbor without /c/login (404, 405, an HTML page);
//   - Close logs the session out.
//
// The sid, the CSRF cookie and the token are credentials: sent only with a
// request to the client's origin that carries its Authorization (a redirect
// elsewhere is refused before this layer, see origin.go), and redacted like
// the password.
type session struct {
	next      http.RoundTripper
	origin    origin
	base      string // scheme://host[:port][/prefix], where /c/login is
	auth      *basicAuth
	header    string // the Authorization value this layer replaces
	userAgent string

	mu   sync.Mutex
	off  bool         // basic auth from now on
	cur  *sessionKeys // nil: not logged in
	prev *sessionKeys // still redacted: a call may have sent it
	wait chan struct{}
}

// sessionKeys are one session's cookie values and CSRF token; never changed
// once made, so a request can hold them without the lock.
type sessionKeys struct{ sid, csrfCookie, token string }

// cookies is the Cookie header that sends k.
func (k *sessionKeys) cookies() string {
	c := csrfCookie + "=" + k.csrfCookie
	if k.sid != "" {
		c = sessionCookie + "=" + k.sid + "; " + c
	}
	return c
}

const (
	sessionCookie = "sid"
	csrfCookie    = "_gorilla_csrf"
	csrfHeader    = "X-Harbor-Csrf-Token"
)

func newSession(u *url.URL, auth *basicAuth, header, userAgent string) *session {
	base := u.Scheme + "://" + u.Host + strings.TrimSuffix(u.Path, apiBasePath)
	return &session{origin: newOrigin(u), base: base, auth: auth, header: header, userAgent: userAgent}
}

// Close logs the client's session out of Harbor (GET /c/log_out), if it has
// one, and closes its idle connections. A call made after Close logs in
// again. Without it the session lives on in Harbor until session_timeout
// (60 minutes by default) after its last use. Close returns the logout's
// error, if any.
func (c *Client) Close() error {
	defer c.submit.hc.CloseIdleConnections()
	if s := c.submit.auth.session; s != nil {
		return s.logout()
	}
	return nil
}

// String never shows the session's keys.
func (s *session) String() string { return "harbor session for " + s.auth.username }

// RoundTrip sends req with the session instead of basic auth when it is
// one of the client's requests (it carries the client's Authorization).
func (s *session) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Authorization") != s.header || !s.origin.contains(req.URL) {
		return s.next.RoundTrip(req)
	}
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		if err := makeReplayable(req); err != nil {
			return nil, err
		}
	}
	ctx := req.Context()
	keys := s.keys(ctx, nil)
	relogged, tokenRenewed := false, false
	for {
		if keys == nil {
			return s.next.RoundTrip(req)
		}
		r, err := withSession(req, keys)
		if err != nil {
			return nil, err
		}
		resp, err := s.next.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		switch {
		case resp.StatusCode == http.StatusForbidden && !tokenRenewed && resp.Header.Get(csrfHeader) != "" && isCSRFRefusal(resp):
			tokenRenewed = true
			keys = s.renewToken(keys, resp)
		case resp.StatusCode == http.StatusUnauthorized || forgotten(resp, keys) && (isIdempotent(req.Method) || resp.StatusCode >= 400):
			// Nothing was done as the user: log in again, send again.
			if relogged {
				s.turnOff() // a fresh session is not recognised either
				keys = nil
			} else {
				relogged = true
				keys = s.keys(ctx, keys)
			}
		default:
			return resp, nil
		}
		discard(resp)
	}
}

// withSession is req with the session's cookies in place of basic auth, the
// CSRF token on writes, and a fresh copy of its body.
func withSession(req *http.Request, k *sessionKeys) (*http.Request, error) {
	r := req.Clone(req.Context())
	r.Header.Del("Authorization")
	r.Header.Set("Cookie", k.cookies())
	if !isSafe(req.Method) {
		r.Header.Set(csrfHeader, k.token)
	}
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
	}
	return r, nil
}

func isSafe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions || method == http.MethodTrace
}

// isCSRFRefusal reports whether a 403 is gorilla/csrf's ("CSRF token not
// found in request", "CSRF token invalid"...), not a permission refusal,
// whose body stays whole for its *Error.
func isCSRFRefusal(resp *http.Response) bool {
	b := readErrorBody(resp.Body)
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), resp.Body), resp.Body}
	return bytes.Contains(b, []byte("CSRF token"))
}

// forgotten reports whether Harbor started a new session for the request:
// its answer sets a sid other than the one sent, which it does only when it
// does not know that one (the request was then anonymous).
func forgotten(resp *http.Response, k *sessionKeys) bool {
	c := cookie(resp, sessionCookie)
	return c != "" && c != k.sid
}

// cookie is the value of the last cookie named name resp sets (the one a
// browser keeps: a login answer sets two sids, the session store's for a
// request without one, then the login's), or "".
func cookie(resp *http.Response, name string) string {
	v := ""
	for _, c := range resp.Cookies() {
		if c.Name == name && c.MaxAge >= 0 {
			v = c.Value
		}
	}
	return v
}

// keys returns the session to send, logging in when there is none or the
// one a request found stale is still the current one; nil means basic auth.
// Calls that arrive during a login wait for it.
func (s *session) keys(ctx context.Context, stale *sessionKeys) *sessionKeys {
	s.mu.Lock()
	if s.off {
		s.mu.Unlock()
		return nil
	}
	if s.cur != nil && s.cur != stale {
		k := s.cur
		s.mu.Unlock()
		return k
	}
	if w := s.wait; w != nil {
		s.mu.Unlock()
		select {
		case <-w:
		case <-ctx.Done():
			return nil // the request fails on its context
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.cur // nil after a failed login: basic auth for this call
	}
	done := make(chan struct{})
	s.wait = done
	s.mu.Unlock()
	k, refused := s.login(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set(k)
	s.off = s.off || refused
	s.wait = nil
	close(done)
	return k
}

// set makes k the current session; callers hold mu.
func (s *session) set(k *sessionKeys) {
	if s.cur != nil {
		s.prev = s.cur
	}
	s.cur = k
}

func (s *session) turnOff() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.off = true
	s.set(nil)
}

// renewToken takes the CSRF token (and cookie, if Harbor set a new one) of
// a 403 CSRF refusal.
func (s *session) renewToken(k *sessionKeys, resp *http.Response) *sessionKeys {
	n := &sessionKeys{sid: k.sid, csrfCookie: k.csrfCookie, token: resp.Header.Get(csrfHeader)}
	if c := cookie(resp, csrfCookie); c != "" {
		n.csrfCookie = c
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == k {
		s.set(n)
	}
	return n
}

// login logs in as the UI does. It returns the session, or nil and whether
// Harbor refused for good (no /c/login, or not for these credentials): a
// connection error, 429 or 5xx leave the next call to try again.
func (s *session) login(ctx context.Context) (keys *sessionKeys, refused bool) {
	resp, err := s.send(ctx, http.MethodPost, "/c/login", nil, "")
	if err != nil {
		return nil, false
	}
	discard(resp)
	token, csrf := resp.Header.Get(csrfHeader), cookie(resp, csrfCookie)
	if resp.StatusCode != http.StatusForbidden || token == "" || csrf == "" {
		return nil, !transient(resp.StatusCode)
	}
	form := url.Values{"principal": {s.auth.username}, "password": {s.auth.secret.Reveal()}}.Encode()
	resp, err = s.send(ctx, http.MethodPost, "/c/login", &sessionKeys{csrfCookie: csrf, token: token}, form)
	if err != nil {
		return nil, false
	}
	discard(resp)
	sid := cookie(resp, sessionCookie)
	if resp.StatusCode != http.StatusOK || sid == "" {
		return nil, !transient(resp.StatusCode)
	}
	if t := resp.Header.Get(csrfHeader); t != "" {
		token = t
	}
	return &sessionKeys{sid: sid, csrfCookie: csrf, token: token}, false
}

func transient(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// send sends one of the UI's requests (/c/...) with k's cookies and token.
func (s *session) send(ctx context.Context, method, path string, k *sessionKeys, form string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, strings.NewReader(form))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", s.userAgent)
	if k != nil {
		req.Header.Set("Cookie", k.cookies())
		req.Header.Set(csrfHeader, k.token)
	}
	return s.next.RoundTrip(req)
}

// logout ends the current session (GET /c/log_out), if any.
func (s *session) logout() error {
	s.mu.Lock()
	k := s.cur
	s.set(nil)
	s.mu.Unlock()
	if k == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := s.send(ctx, http.MethodGet, "/c/log_out", k, "")
	if err != nil {
		return err
	}
	discard(resp)
	return nil
}

// redact replaces the session's keys in text.
func (s *session) redact(text string) string {
	s.mu.Lock()
	cur, prev := s.cur, s.prev
	s.mu.Unlock()
	for _, k := range []*sessionKeys{cur, prev} {
		if k != nil {
			for _, v := range []string{k.sid, k.csrfCookie, k.token} {
				for _, form := range secretForms(v) {
					text = strings.ReplaceAll(text, form, "xxxxx")
				}
			}
		}
	}
	return text
}
