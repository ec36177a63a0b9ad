package harbortest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"time"
)

// UI sessions, as Harbor keeps them (src/core/controllers/base.go,
// src/server/middleware/security/session.go): POST /c/login (form principal
// and password, behind the CSRF check) verifies the password once and sets
// a sid cookie; a request with that sid is the user's, each one renewing the
// session, which expires after session_timeout minutes (configurations,
// default 60) without one, by the server's clock (WithClock); GET
// /c/log_out ends it. A request whose sid the server does not know (never
// issued, expired, logged out) is anonymous, however its answer looks, and
// is given a new sid, as Harbor's session store does. Harbor's store also
// keeps the empty session of every sid it hands out; harbortest stores only
// logged-in sessions (memory stays flat under a client that drops cookies)
// and signs the sids it hands out instead, so it knows them when they come
// back; such an empty session never expires here.

// uiSession is a logged-in session: its user and its last use.
type uiSession struct {
	uid  int64
	used time.Time
}

// PasswordChecks reports how many times the server verified a user's
// password: basic auth as a user, and POST /c/login, for a user that
// exists. Each costs a real Harbor (v2.15, PBKDF2 with 600,000 iterations)
// about 170 ms of CPU; a robot's secret and a session cost about 2 ms and are
// not counted. Tests assert a task's server cost with it.
func (s *Server) PasswordChecks() int64 { return s.passwordChecks.Load() }

// checkPassword verifies u's password, counted.
func (s *Server) checkPassword(u *user, password string) bool {
	s.passwordChecks.Add(1)
	return u.password == password
}

// sessionTimeout is session_timeout (minutes); callers hold s.mu.
func (s *Server) sessionTimeout() time.Duration {
	v, ok := s.state.config["session_timeout"].(float64)
	if !ok {
		v, _ = defaultConfig["session_timeout"]["value"].(float64)
	}
	return time.Duration(v * float64(time.Minute))
}

// setSessionCookie is the session store's part of every request: a sid it
// knows is renewed; a request without one, or with one it does not know,
// is given a new sid.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie("sid"); err == nil {
		s.mu.Lock()
		known := s.touchSession(c.Value)
		s.mu.Unlock()
		if known || s.signedSID(c.Value) {
			return
		}
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	w.Header().Add("Set-Cookie", "sid="+hex.EncodeToString(s.csrfMAC(b)[:16])+"; Path=/; HttpOnly")
}

// signedSID reports whether sid is one setSessionCookie handed out: 8
// random bytes and 8 of their HMAC, in hex (32 characters, as Harbor's).
func (s *Server) signedSID(sid string) bool {
	b, err := hex.DecodeString(sid)
	return err == nil && len(b) == 16 && bytes.Equal(s.csrfMAC(b[:8])[:16], b)
}

// touchSession renews the session sid and reports whether it is one; an
// expired one is removed. Callers hold s.mu.
func (s *Server) touchSession(sid string) bool {
	ss, ok := s.sessions[sid]
	if !ok {
		return false
	}
	if now := s.now(); now.Sub(ss.used) <= s.sessionTimeout() {
		ss.used = now
		return true
	}
	delete(s.sessions, sid)
	return false
}

// login serves POST /c/login (form fields principal and password). Robots
// are not users: refused, as by Harbor.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, &apiError{http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "method not allowed"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	_ = r.ParseForm()
	s.mu.Lock()
	u := s.state.usersByName[r.PostForm.Get("principal")]
	ok := u != nil && s.checkPassword(u, r.PostForm.Get("password"))
	sid := randomHex(16)
	if ok {
		for id := range s.sessions { // sessions nobody came back to would pile up
			s.touchSession(id)
		}
		s.sessions[sid] = &uiSession{uid: u.id, used: s.now()}
	}
	s.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header().Add("Set-Cookie", "sid="+sid+"; Path=/; HttpOnly")
	w.WriteHeader(http.StatusOK)
}

// logout serves GET /c/log_out: the session ends.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie("sid"); err == nil {
		s.mu.Lock()
		delete(s.sessions, c.Value)
		s.mu.Unlock()
	}
	w.Header().Add("Set-Cookie", "sid=; Path=/; Expires="+s.now().UTC().Format(http.TimeFormat)+"; Max-Age=0; HttpOnly")
	w.WriteHeader(http.StatusOK)
}

// authMemo holds a request's identity once resolved: Harbor authenticates a
// request once (and hashes a password once), however many times harbortest
// asks (the adapter before reading a body, then for the handler).
type authMemo struct {
	done bool
	id   identity
}

type authMemoKey struct{}

// withAuthMemo gives r a place for its identity.
func withAuthMemo(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), authMemoKey{}, &authMemo{}))
}
