package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/credentials"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/harborkit/harbor-sdk-go/internal/exampletest"
)

func TestProvisionAgainstInMemoryHarbor(t *testing.T) {
	t.Setenv("HARBOR_URL", "")
	path := filepath.Join(t.TempDir(), "ci.json")
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, config{project: "team-app", robot: "ci", days: 30, out: path}))
	text := out.String()
	assert.Contains(t, text, `1. Created project "team-app"`)
	assert.Contains(t, text, `2. Created robot "robot$team-app+ci" (id 1): pull and push on "team-app", expires in 30 days`)
	assert.Contains(t, text, `3. A client built from the file authenticates as robot "robot$team-app+ci"`)
	assert.Regexp(t, `jq -r \.secret '.*ci\.json' \| docker login 127\.0\.0\.1:\d+ --username 'robot\$team-app\+ci' --password-stdin`, text)
	assert.Contains(t, text, "5. Cleaned up")
	assert.NotContains(t, text, "cleanup: could not")

	cred, err := credentials.Load(path)
	require.NoError(t, err)
	assert.Equal(t, "robot$team-app+ci", cred.Name)
	assert.NotContains(t, text, cred.Secret.Reveal(), "the secret is never printed")
	require.Len(t, cred.Permissions, 1)
	assert.Equal(t, credentials.Permission{Kind: "project", Namespace: "team-app", Access: []credentials.Access{
		{Resource: "repository", Action: "pull"}, {Resource: "repository", Action: "push"}}}, cred.Permissions[0])
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

func TestExistingCredentialsFileIsRefusedFirst(t *testing.T) {
	t.Setenv("HARBOR_URL", "")
	path := filepath.Join(t.TempDir(), "ci.json")
	require.NoError(t, os.WriteFile(path, []byte("{}"), 0o600))
	var out bytes.Buffer
	err := run(t.Context(), &out, config{robot: "ci", days: -1, out: path})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "credentials file")
	assert.NotContains(t, out.String(), "2. Created robot", "no robot is created when its secret could not be saved")
}

// With HARBOR_URL set (here to an in-memory Harbor started by the test) the
// example keeps what it creates, reuses an existing project and explains a
// robot name that is taken.
func TestAgainstHarborURLKeepsAndReuses(t *testing.T) {
	srv := harbortest.NewServer()
	t.Cleanup(srv.Close)
	t.Setenv("HARBOR_URL", srv.URL)
	t.Setenv("HARBOR_USERNAME", srv.AdminUsername)
	t.Setenv("HARBOR_PASSWORD", srv.AdminPassword)
	t.Setenv("HARBOR_CREDENTIALS_FILE", "")
	dir := t.TempDir()

	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, config{project: "shop", robot: "ci", days: -1, out: filepath.Join(dir, "a.json")}))
	assert.Contains(t, out.String(), "never expires")
	assert.NotContains(t, out.String(), "Cleaned up")
	require.Len(t, srv.Robots(), 1, "kept")

	out.Reset()
	err := run(t.Context(), &out, config{project: "shop", robot: "ci", days: 30, out: filepath.Join(dir, "b.json")})
	require.Error(t, err)
	assert.Contains(t, out.String(), `1. Project "shop" exists: using it`)
	assert.ErrorIs(t, err, harbor.ErrConflict)
	assert.Contains(t, err.Error(), "choose another -robot, or rotate its secret")
	_, statErr := os.Stat(filepath.Join(dir, "b.json"))
	assert.True(t, os.IsNotExist(statErr), "nothing saved for a robot that was not created")
}

func TestDockerLoginQuotes(t *testing.T) {
	assert.Equal(t, `jq -r .secret '/tmp/it'\''s/ci.json' | docker login harbor.example.com --username 'robot$p+ci' --password-stdin`,
		DockerLogin("harbor.example.com", "robot$p+ci", "/tmp/it's/ci.json"))
}

// A wrong password is refused before anything is created or listed (issue
// 18 item 4): Harbor would otherwise have answered the project lookup as if
// anonymous.
func TestWrongPasswordIsRefusedFirst(t *testing.T) {
	srv := exampletest.WrongPassword(t)
	var out bytes.Buffer
	err := run(t.Context(), &out, config{project: "private-data", robot: "ci", days: 1, out: filepath.Join(t.TempDir(), "a.json")})
	require.ErrorIs(t, err, harbor.ErrUnauthorized)
	assert.ErrorContains(t, err, `harbor: Whoami: credentials of "admin" not accepted`)
	assert.Empty(t, out.String())
	exampletest.OnlyChecked(t, srv)
	assert.Empty(t, srv.Robots())
}
