package harbortest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"time"
)

// UI sessions as Harbor's (src/core/controllers/base.go): POST /c/login sets a sid, renewed by
// each use, expiring after session_timeout idle minutes; GET /c/log_out ends it.

type uiSession struct {
	uid  int64
	used time.Time
}

// PasswordChecks reports how many times the server verified a user's password (basic auth, POST /c/login).
// Each costs a real Harbor about 170 ms of CPU (PBKDF2); robot secrets and sessions, not counted, ~2 ms.
func (s *Server) PasswordChecks() int64 { return s.passwordChecks.Load() }

func (s *Server) checkPassword(u *user, password string) bool {
	s.passwordChecks.Add(1)
	return u.password == password
}

// setSessionCookie renews a known sid or hands out a new one, signed, not stored (memory stays flat).
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

// signedSID reports whether setSessionCookie made sid: 8 random bytes and 8 of their HMAC.
func (s *Server) signedSID(sid string) bool {
	b, err := hex.DecodeString(sid)
	return err == nil && len(b) == 16 && bytes.Equal(s.csrfMAC(b[:8])[:16], b)
}

// touchSession renews session sid, reporting whether it is one; it drops an expired one. Callers hold s.mu.
func (s *Server) touchSession(sid string) bool {
	ss, ok := s.sessions[sid]
	if !ok {
		return false
	}
	minutes, _ := s.state.configured("session_timeout").(float64)
	if now := s.now(); now.Sub(ss.used) <= time.Duration(minutes*float64(time.Minute)) {
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

// logout serves GET /c/log_out.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie("sid"); err == nil {
		s.mu.Lock()
		delete(s.sessions, c.Value)
		s.mu.Unlock()
	}
	w.Header().Add("Set-Cookie", "sid=; Path=/; Expires="+s.now().UTC().Format(http.TimeFormat)+"; Max-Age=0; HttpOnly")
	w.WriteHeader(http.StatusOK)
}
