package harbor

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func clearEnv(t *testing.T) {
	for _, k := range []string{EnvURL, EnvUsername, EnvPassword, EnvCredentialsFile, EnvCACert, EnvInsecure} {
		t.Setenv(k, "")
	}
}

func TestNewClientFromEnv(t *testing.T) {
	clearEnv(t)
	_, err := NewClientFromEnv()
	require.Error(t, err)
	assert.Contains(t, err.Error(), EnvURL)

	t.Setenv(EnvURL, "harbor.example.com")
	t.Setenv(EnvUsername, "admin")
	t.Setenv(EnvPassword, "pw")
	c, err := NewClientFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "https://harbor.example.com/api/v2.0", c.BaseURL())
	assert.Equal(t, "admin", c.Username())

	// Options passed win over the environment.
	c, err = NewClientFromEnv(WithBasicAuth("other", "x"))
	require.NoError(t, err)
	assert.Equal(t, "other", c.Username())

	// A credentials file wins over username/password.
	path := filepath.Join(t.TempDir(), "robot.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"name":"robot$ci","secret":"Secret123"}`), 0o600))
	t.Setenv(EnvCredentialsFile, path)
	c, err = NewClientFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "robot$ci", c.Username())

	t.Setenv(EnvInsecure, "maybe")
	_, err = NewClientFromEnv()
	require.Error(t, err)
	assert.Contains(t, err.Error(), EnvInsecure)

	t.Setenv(EnvInsecure, "")
	t.Setenv(EnvURL, "ftp://x")
	_, err = NewClientFromEnv()
	require.Error(t, err)
	assert.Contains(t, err.Error(), EnvURL)
}

func TestNewClientFromEnvInsecure(t *testing.T) {
	clearEnv(t)
	s := newTLSStub(t)
	t.Setenv(EnvURL, s.URL)
	c, err := NewClientFromEnv(WithoutRetry())
	require.NoError(t, err)
	require.Error(t, c.Ping(t.Context()))
	t.Setenv(EnvInsecure, "true")
	c, err = NewClientFromEnv()
	require.NoError(t, err)
	require.NoError(t, c.Ping(t.Context()))
}
