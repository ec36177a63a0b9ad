package harbor

import (
	"crypto/tls"
	"net/http"
	"os"
	"path/filepath"
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
