package harbortest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"time"
)

// UI sessions as Harbor keeps them (src/core/controllers/base.go): POST
// /c/login sets a sid; each request with it renews the session, which
// expires after session_timeout minutes idle (server clock); GET /c/log_out
// ends it. An unknown sid is anonymous and gets a new one. Harbor stores
// the empty session of every sid it hands out; harbortest signs such sids
// instead, so memory stays flat.

// uiSession is a logged-in session: its user and its last use.
type uiSession struct {
	uid  int64
	used time.Time
}

// PasswordChecks reports how many times the server verified an existing
// user's password (basic auth or POST /c/login). Each costs a real Harbor
// about 170 ms of CPU (PBKDF2); robot secrets and sessions, not counted, ~2 ms.
func (s *Server) PasswordChecks() int64 { return s.passwordChecks.Load() }

// checkPassword verifies u's password, counted.
func (s *Server) checkPassword(u *user, password string) bool {
	s.passwordChecks.Add(1)
	return u.password == password
}

// sessionTimeout is session_timeout (minutes); callers hold s.mu.
func (s *Server) sessionTimeout() time.Duration {
	v, _ := s.state.configured("session_timeout").(float64)
	return time.Duration(v * float64(time.Minute))
}

// setSessionCookie renews a known sid or hands out a new one.
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

// signedSID reports whether setSessionCookie made sid: 8 random bytes and
// 8 of their HMAC, in hex.
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

// login serves POST /c/login (form principal and password); robots are refused.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, errStatus(http.StatusMethodNotAllowed, "method not allowed"))
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
