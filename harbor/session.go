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

// session sends a user's session instead of basic auth, which costs Harbor
// a password hash per request; docs/sessions.md describes the flow.
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

// sessionKeys are one session's cookies and CSRF token, never changed.
type sessionKeys struct{ sid, csrfCookie, token string }

// put sets k's cookies and CSRF token on h (the token is ignored on reads).
func (k *sessionKeys) put(h http.Header) {
	c := csrfCookie + "=" + k.csrfCookie
	if k.sid != "" {
		c = sessionCookie + "=" + k.sid + "; " + c
	}
	h.Set("Cookie", c)
	h.Set(csrfHeader, k.token)
}

const (
	sessionCookie = "sid"
	csrfCookie    = "_gorilla_csrf"
	csrfHeader    = "X-Harbor-Csrf-Token"
)

// Close logs the client's session, if any, out of Harbor (GET /c/log_out)
// and closes its idle connections; a later call logs in again. Without it
// the session lives on until Harbor's session_timeout (60 minutes by default).
func (c *Client) Close() error {
	defer c.submit.hc.CloseIdleConnections()
	s := c.submit.auth.session
	if s == nil {
		return nil
	}
	s.mu.Lock()
	k := s.cur
	s.set(nil)
	s.mu.Unlock()
	if k == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := s.send(ctx, http.MethodGet, "/c/log_out", k, "")
	return err
}

// RoundTrip sends the client's requests (those with its Authorization) with
// the session: a 403 CSRF refusal renews the token, a 401 or a new sid
// (Harbor did not know the one sent) logs in again; each once.
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
		r := req.Clone(ctx) // the session in place of basic auth, a fresh copy of the body
		r.Header.Del("Authorization")
		keys.put(r.Header)
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r.Body = body
		}
		resp, err := s.next.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		sid := cookie(resp, sessionCookie) // another than the one sent: Harbor did not know it
		switch {
		case resp.StatusCode == http.StatusForbidden && !tokenRenewed && resp.Header.Get(csrfHeader) != "" && isCSRFRefusal(resp):
			tokenRenewed = true
			keys = s.renewToken(keys, resp)
		case resp.StatusCode == http.StatusUnauthorized || sid != "" && sid != keys.sid && (isIdempotent(req.Method) || resp.StatusCode >= 400):
			// Nothing was done as the user: log in again, send again.
			if relogged { // a fresh session is not recognised either
				s.mu.Lock()
				s.off = true
				s.set(nil)
				s.mu.Unlock()
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

// isCSRFRefusal reports whether a 403 is gorilla/csrf's, not a permission
// refusal, whose body stays whole for its *Error.
func isCSRFRefusal(resp *http.Response) bool {
	b := readErrorBody(resp.Body)
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), resp.Body), resp.Body}
	return bytes.Contains(b, []byte("CSRF token"))
}

// cookie is the value of the last cookie name resp sets, the one a browser
// keeps (a login answer sets two sids).
func cookie(resp *http.Response, name string) string {
	v := ""
	for _, c := range resp.Cookies() {
		if c.Name == name && c.MaxAge >= 0 {
			v = c.Value
		}
	}
	return v
}

// keys returns the session to send (nil: basic auth), logging in when there
// is none or stale is still current; calls during a login wait for it.
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
	k, refused := s.login(ctx) // in the call's context: its log records redact the password
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

// renewToken takes the token (and cookie) a 403 CSRF refusal hands out.
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
// Harbor refused for good (not after a connection error, 429 or 5xx).
func (s *session) login(ctx context.Context) (keys *sessionKeys, refused bool) {
	resp, err := s.send(ctx, http.MethodPost, "/c/login", nil, "")
	if err != nil {
		return nil, false
	}
	token, csrf := resp.Header.Get(csrfHeader), cookie(resp, csrfCookie)
	if resp.StatusCode != http.StatusForbidden || token == "" || csrf == "" {
		return nil, !transient(resp.StatusCode)
	}
	form := url.Values{"principal": {s.auth.username}, "password": {s.auth.secret.Reveal()}}.Encode()
	resp, err = s.send(ctx, http.MethodPost, "/c/login", &sessionKeys{csrfCookie: csrf, token: token}, form)
	if err != nil {
		return nil, false
	}
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

// send sends one of the UI's requests (/c/...) with k's cookies and token;
// the answer's body is drained and closed.
func (s *session) send(ctx context.Context, method, path string, k *sessionKeys, form string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, strings.NewReader(form))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", s.userAgent)
	if k != nil {
		k.put(req.Header)
	}
	resp, err := s.next.RoundTrip(req)
	if err == nil {
		discard(resp)
	}
	return resp, err
}

// redact replaces the keys of the current and the previous session in text.
func (s *session) redact(text string) string {
	var keys clientAuth
	s.mu.Lock()
	for _, k := range []*sessionKeys{s.cur, s.prev} {
		if k != nil {
			for _, v := range []string{k.sid, k.csrfCookie, k.token} {
				keys.secrets = appendForms(keys.secrets, v)
			}
		}
	}
	s.mu.Unlock()
	return keys.redact(text, "")
}
