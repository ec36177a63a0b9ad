package harbortest

import (
	"encoding/base64"
	"net/http"
	"strings"
	"time"
)

const csrfHeader = "X-Harbor-Csrf-Token"

// csrf emulates Harbor's gorilla/csrf middleware. It is active for requests
// that carry a sid cookie and for the UI's /c/ endpoints. It hands out a token
// in X-Harbor-Csrf-Token (and a _gorilla_csrf cookie when the request has
// none), and refuses POST/PUT/PATCH/DELETE without a valid token with 403
// "CSRF token not found in request". It reports whether to go on.
func (s *Server) csrf(w http.ResponseWriter, r *http.Request) bool {
	_, sidErr := r.Cookie("sid")
	if sidErr != nil && !strings.HasPrefix(r.URL.Path, "/c/") {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cookie := ""
	if c, err := r.Cookie("_gorilla_csrf"); err == nil && s.csrfCookie[c.Value] {
		cookie = c.Value
	}
	safe := r.Method == http.MethodGet || r.Method == http.MethodHead ||
		r.Method == http.MethodOptions || r.Method == http.MethodTrace
	valid := cookie != "" && s.csrfTokens[r.Header.Get(csrfHeader)] == cookie
	if cookie == "" {
		cookie = base64.RawURLEncoding.EncodeToString([]byte(randomHex(24)))
		s.csrfCookie[cookie] = true
		exp := s.now().Add(12 * time.Hour).UTC().Format(http.TimeFormat)
		w.Header().Add("Set-Cookie", "_gorilla_csrf="+cookie+"; Path=/; Expires="+exp+"; Max-Age=43200; HttpOnly; SameSite=Strict")
	}
	token := base64.StdEncoding.EncodeToString([]byte(randomHex(32)))[:88]
	s.csrfTokens[token] = cookie
	w.Header().Set(csrfHeader, token)
	if !safe && !valid {
		writeError(w, errForbidden("CSRF token not found in request"))
		return false
	}
	w.Header().Set("Vary", "Cookie")
	return true
}

// login serves POST /c/login (form fields principal and password), the UI
// login that creates a session cookie.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, &apiError{http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "method not allowed"})
		return
	}
	_ = r.ParseForm()
	s.mu.Lock()
	u := s.state.usersByName[r.PostForm.Get("principal")]
	ok := u != nil && u.password == r.PostForm.Get("password")
	var sid string
	if ok {
		sid = randomHex(16)
		s.sessions[sid] = u.id
	}
	s.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header().Add("Set-Cookie", "sid="+sid+"; Path=/; HttpOnly")
	w.WriteHeader(http.StatusOK)
}
