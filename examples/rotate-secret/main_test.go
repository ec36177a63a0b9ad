package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/credentials"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/internal/exampletest"
)

func TestRotateAgainstInMemoryHarbor(t *testing.T) {
	t.Setenv("HARBOR_URL", "")
	path := filepath.Join(t.TempDir(), "robot.json")
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, path))
	text := out.String()
	for _, step := range []string{"0. ", "1. Created robot \"robot$rotate-example-", "2. ", "3. Rotated", "4. ", "5. ", "6. Cleaned up"} {
		assert.Contains(t, text, step)
	}
	assert.NotContains(t, text, "cleanup: could not")

	// The file the caller asked for stays, holding the rotated secret.
	cred, err := credentials.Load(path)
	require.NoError(t, err)
	assert.NotEmpty(t, cred.Secret.Reveal())
	assert.NotContains(t, text, cred.Secret.Reveal(), "secrets are never printed")
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

func TestRotateTemporaryFileIsRemoved(t *testing.T) {
	t.Setenv("HARBOR_URL", "")
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, ""))
	line := out.String()[strings.Index(out.String(), "credentials saved to ")+len("credentials saved to "):]
	path := strings.Fields(line)[0]
	_, err := os.Stat(path)
	assert.True(t, os.IsNotExist(err), "the temporary credentials file is removed: %v", err)
}

// A wrong password is refused before anything is created (issue 18 item 4).
func TestWrongPasswordIsRefusedFirst(t *testing.T) {
	srv := exampletest.WrongPassword(t)
	var out bytes.Buffer
	err := run(t.Context(), &out, filepath.Join(t.TempDir(), "robot.json"))
	require.ErrorIs(t, err, harbor.ErrUnauthorized)
	assert.ErrorContains(t, err, `harbor: Whoami: credentials of "admin" not accepted`)
	assert.Empty(t, out.String())
	exampletest.OnlyChecked(t, srv)
	assert.Empty(t, srv.Robots())
}
