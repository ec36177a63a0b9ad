package harbor

import (
	"crypto/tls"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientRefusesBadOptions(t *testing.T) {
	cases := map[string]Option{
		"WithTimeout":         WithTimeout(-time.Second),
		"WithBasicAuth":       WithBasicAuth("", "x"),
		"WithHTTPClient":      WithHTTPClient(nil),
		"WithTLSConfig":       WithTLSConfig(nil),
		"WithCACertFile":      WithCACertFile(filepath.Join(t.TempDir(), "missing.pem")),
		"WithRetry":           WithRetry(RetryPolicy{MaxAttempts: -1}),
		"WithUserAgent":       WithUserAgent(""),
		"WithLogger":          WithLogger(nil),
		"WithCredentialsFile": WithCredentialsFile(filepath.Join(t.TempDir(), "nope.json")),
	}
	for name, opt := range cases {
		_, err := NewClient("https://harbor.example.com", opt)
		if assert.Error(t, err, name) {
			assert.Contains(t, err.Error(), name)
		}
	}
}

func TestCACertFileWithoutCertificateIsRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(p, []byte("not a certificate"), 0o600))
	_, err := NewClient("https://harbor.example.com", WithCACertFile(p))
	require.Error(t, err)
	assert.Contains(t, err.Error(), p)
}

func TestTLSVerificationIsOnByDefault(t *testing.T) {
	s := newTLSStub(t)
	c := newStubClient(t, s.URL, WithoutRetry())
	err := c.Ping(t.Context())
	require.Error(t, err, "a self-signed certificate must be refused unless verification is turned off")
	assert.Contains(t, err.Error(), "certificate")

	// WithTLSConfig alone does not turn verification off either.
	c = newStubClient(t, s.URL, WithoutRetry(), WithTLSConfig(&tls.Config{MinVersion: tls.VersionTLS12}))
	require.Error(t, c.Ping(t.Context()))

	c = newStubClient(t, s.URL, WithoutRetry(), WithInsecureSkipVerify())
	require.NoError(t, c.Ping(t.Context()))
}

func TestCACertFileTrustsServer(t *testing.T) {
	s := newTLSStub(t)
	p := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(p, certPEM(s.Certificate().Raw), 0o600))
	c := newStubClient(t, s.URL, WithCACertFile(p))
	require.NoError(t, c.Ping(t.Context()))
}

func TestWithHTTPClientKeepsVerificationAndDropsJar(t *testing.T) {
	s := newTLSStub(t)
	jar := &recordingJar{}
	c := newStubClient(t, s.URL, WithoutRetry(), WithHTTPClient(&http.Client{Jar: jar}))
	require.Error(t, c.Ping(t.Context()), "a caller's http.Client does not turn verification off")
	c = newStubClient(t, s.URL, WithoutRetry(), WithHTTPClient(&http.Client{Jar: jar}), WithInsecureSkipVerify())
	require.NoError(t, c.Ping(t.Context()))
	assert.Zero(t, jar.calls.Load(), "the cookie jar of a caller's http.Client must not be used")
}

func TestWithKeepsSettingsAndAddsOptions(t *testing.T) {
	s := newTLSStub(t)
	admin := newStubClient(t, s.URL, WithInsecureSkipVerify(), WithBasicAuth("admin", "pw"), WithUserAgent("ua-1"))
	bot, err := admin.With(WithBasicAuth("robot$x", "secret"))
	require.NoError(t, err)
	assert.Equal(t, "robot$x", bot.Username(), "options given to With win")
	assert.Equal(t, "admin", admin.Username(), "the original client is unchanged")
	assert.Equal(t, admin.BaseURL(), bot.BaseURL())
	require.NoError(t, bot.Ping(t.Context()), "TLS settings carried over (the stub's certificate is self-signed)")
	_, err = admin.With(WithTimeout(-1))
	assert.Error(t, err)
}

// stub is a minimal httptest server for facade tests that need exact
// control of the answer (harbortest covers Harbor's behaviour).
type stub struct {
	*httptest.Server
	conns atomic.Int64
}

func newStub(t *testing.T, h http.HandlerFunc) *stub {
	t.Helper()
	s := &stub{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/c/") { // a Harbor without the UI's login: clients keep basic auth
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func newStubClient(t *testing.T, url string, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(url, opts...)
	require.NoError(t, err)
	return c
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func newTLSStub(t *testing.T) *httptest.Server {
	t.Helper()
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("Pong"))
	}))
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

func certPEM(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

type recordingJar struct{ calls atomic.Int64 }

func (j *recordingJar) SetCookies(*url.URL, []*http.Cookie) { j.calls.Add(1) }

func (j *recordingJar) Cookies(*url.URL) []*http.Cookie {
	j.calls.Add(1)
	return []*http.Cookie{{Name: "sid", Value: "stale"}}
}
