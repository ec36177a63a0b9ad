package harbortest

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"strings"
	"time"
)

const (
	csrfHeader    = "X-Harbor-Csrf-Token"
	csrfLen       = 32             // bytes of a CSRF secret, as gorilla/csrf's tokenLength
	csrfCookieAge = 12 * time.Hour // Harbor's _gorilla_csrf Max-Age
)

// csrf is Harbor's gorilla/csrf for requests with a sid and for /c/: 403 for a write
// without a matching token (false: it has answered). Nothing is stored (csrfCookie).
func (s *Server) csrf(w http.ResponseWriter, r *http.Request) bool {
	_, sidErr := r.Cookie("sid")
	if sidErr != nil && !strings.HasPrefix(r.URL.Path, "/c/") {
		return true
	}
	secret := s.csrfSecret(r)
	if secret == nil {
		secret = make([]byte, csrfLen)
		_, _ = rand.Read(secret)
		w.Header().Add("Set-Cookie", "_gorilla_csrf="+s.csrfCookie(secret)+"; Path=/; Expires="+
			s.now().Add(csrfCookieAge).UTC().Format(http.TimeFormat)+"; Max-Age=43200; HttpOnly; SameSite=Strict")
	}
	w.Header().Set(csrfHeader, maskToken(secret))
	safe := r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions || r.Method == http.MethodTrace
	switch sent := unmaskToken(r.Header.Get(csrfHeader)); {
	case safe:
	case sent == nil:
		writeError(w, errForbidden("CSRF token not found in request"))
		return false
	case subtle.ConstantTimeCompare(sent, secret) != 1:
		writeError(w, errForbidden("CSRF token invalid"))
		return false
	}
	w.Header().Set("Vary", "Cookie")
	return true
}

// csrfCookie is the _gorilla_csrf value for secret: base64url of the time, the secret and their HMAC.
func (s *Server) csrfCookie(secret []byte) string {
	b := append(binary.BigEndian.AppendUint64(nil, uint64(s.now().Unix())), secret...)
	return base64.RawURLEncoding.EncodeToString(s.csrfMAC(b))
}

// csrfSecret returns the secret of a valid _gorilla_csrf cookie under 12 hours old, or nil.
func (s *Server) csrfSecret(r *http.Request) []byte {
	c, err := r.Cookie("_gorilla_csrf")
	if err != nil {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(b) != 8+csrfLen+sha256.Size || !bytes.Equal(s.csrfMAC(b[:8+csrfLen]), b) {
		return nil
	}
	if made := time.Unix(int64(binary.BigEndian.Uint64(b)), 0); s.now().Sub(made) > csrfCookieAge {
		return nil
	}
	return b[8 : 8+csrfLen]
}

// csrfMAC returns b followed by its HMAC-SHA256 under the server's key.
func (s *Server) csrfMAC(b []byte) []byte {
	m := hmac.New(sha256.New, s.csrfKey[:])
	m.Write(b)
	return m.Sum(bytes.Clone(b))
}

// maskToken is gorilla/csrf's: a one-time pad and the secret XORed with it, base64.
func maskToken(secret []byte) string {
	b := make([]byte, 2*csrfLen)
	_, _ = rand.Read(b[:csrfLen])
	for i := range csrfLen {
		b[csrfLen+i] = b[i] ^ secret[i]
	}
	return base64.StdEncoding.EncodeToString(b)
}

// unmaskToken returns the secret a token masks, or nil.
func unmaskToken(token string) []byte {
	b, err := base64.StdEncoding.DecodeString(token)
	if err != nil || len(b) != 2*csrfLen {
		return nil
	}
	for i := range csrfLen {
		b[csrfLen+i] ^= b[i]
	}
	return b[csrfLen:]
}
