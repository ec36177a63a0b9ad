package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/internal/exampletest"
)

func TestRunAgainstInMemoryHarbor(t *testing.T) {
	t.Setenv("HARBOR_URL", "")
	var out bytes.Buffer
	path := filepath.Join(t.TempDir(), "robot.json")
	require.NoError(t, run(t.Context(), &out, path, false))
	text := out.String()
	for _, step := range []string{"0. ", "1. ", "2. ", "3. ", "4. ", "5. ", "6. Cleaned up"} {
		assert.Contains(t, text, step)
	}
	assert.Contains(t, text, `as robot "robot$sdk-example-`)
	assert.Contains(t, text, "403 Forbidden")
	assert.Contains(t, text, "errors.Is(err, harbor.ErrForbidden) is true")
	assert.Contains(t, text, "errors.As gives *harbor.Error (status 403) and the generated *user.ListUsersForbidden")
	assert.NotContains(t, text, "Sdk1", "the secret is never printed")
	assert.NotContains(t, text, "cleanup: could not")
	_, err := os.Stat(path)
	assert.NoError(t, err, "a credentials file the caller asked for is left in place")
}

func TestRunKeep(t *testing.T) {
	t.Setenv("HARBOR_URL", "")
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, "", true))
	assert.Contains(t, out.String(), "(-keep)")
	line := out.String()[strings.Index(out.String(), "credentials saved to ")+len("credentials saved to "):]
	path := strings.Fields(line)[0]
	t.Cleanup(func() { os.RemoveAll(filepath.Dir(path)) })
	_, err := os.Stat(path)
	assert.NoError(t, err)
}

func TestStrongSecretMeetsHarborRule(t *testing.T) {
	for range 20 {
		s := strongSecret()
		assert.True(t, len(s) >= 8 && len(s) <= 128)
		assert.True(t, strings.ContainsAny(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
		assert.True(t, strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz"))
		assert.True(t, strings.ContainsAny(s, "0123456789"))
	}
}

// A wrong password is refused before anything is created (issue 18 item 4).
func TestWrongPasswordIsRefusedFirst(t *testing.T) {
	srv := exampletest.WrongPassword(t)
	var out bytes.Buffer
	err := run(t.Context(), &out, filepath.Join(t.TempDir(), "robot.json"), false)
	require.ErrorIs(t, err, harbor.ErrUnauthorized)
	assert.ErrorContains(t, err, `credentials of "admin" not accepted`)
	assert.Empty(t, out.String())
	exampletest.OnlyChecked(t, srv)
	assert.Empty(t, srv.Robots())
}
