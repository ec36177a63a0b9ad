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
)

func newAdmin(t *testing.T) (*harbortest.Server, *harbor.Client) {
	srv := harbortest.NewServer()
	t.Cleanup(srv.Close)
	admin, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	require.NoError(t, err)
	return srv, admin
}

// The demonstration runs twice: the second run reuses the project and the
// robot's credentials file.
func TestDemoIsIdempotent(t *testing.T) {
	srv, _ := newAdmin(t)
	path := filepath.Join(t.TempDir(), "ci.json")
	var out bytes.Buffer
	require.NoError(t, demo(t.Context(), &out, srv, config{project: "ci", robot: "builder", out: path, failOn: harbor.SeverityCritical}))
	text := out.String()
	assert.Contains(t, text, "-- run 1\n1. Project \"ci\" created")
	assert.Contains(t, text, "-- run 2\n1. Project \"ci\" exists: using it")
	assert.Contains(t, text, `2. Robot "robot$ci+builder" created with harbor.CIAccess; credentials saved to `+path)
	assert.Contains(t, text, `-- run 2`)
	assert.Contains(t, text, `2. Robot "robot$ci+builder": its credentials file `+path+" works, reusing it")
	assert.Equal(t, 2, bytes.Count(out.Bytes(), []byte("gate passed: nothing at Critical or above")))
	require.Len(t, srv.Robots(), 1, "one robot after two runs")
	cred, err := credentials.Load(path)
	require.NoError(t, err)
	assert.NotContains(t, text, cred.Secret.Reveal(), "the secret is never printed")
}

func TestBootstrapCreatesThenGateFails(t *testing.T) {
	srv, admin := newAdmin(t)
	path := filepath.Join(t.TempDir(), "ci.json")
	cfg := config{project: "shop", robot: "ci", out: path, failOn: harbor.SeverityHigh}
	var out bytes.Buffer
	require.NoError(t, bootstrap(t.Context(), &out, admin, config{project: "shop", robot: "ci", out: path}))
	assert.Contains(t, out.String(), `1. Project "shop" created`)
	assert.Contains(t, out.String(), "3. No -image: no scan gate")

	srv.AddImage("shop", "team/app", "1.0")
	srv.PlanScan("shop", "team/app", "1.0", harbortest.SampleVulnerabilities(), 0)
	cfg.image = "team/app:1.0"
	out.Reset()
	err := bootstrap(t.Context(), &out, admin, cfg)
	require.ErrorIs(t, err, errGateFailed)
	assert.Contains(t, err.Error(), "2 finding(s) at High or above")
	assert.Contains(t, out.String(), `1. Project "shop" exists: using it`)
}

// A robot whose file was lost: refused with a way out, and -recreate
// deletes it by name and creates it again.
func TestLostCredentialsFile(t *testing.T) {
	srv, admin := newAdmin(t)
	path := filepath.Join(t.TempDir(), "ci.json")
	cfg := config{project: "p", robot: "ci", out: path}
	require.NoError(t, bootstrap(t.Context(), &bytes.Buffer{}, admin, cfg))
	first := srv.Robots()[0].ID
	require.NoError(t, os.Remove(path))
	err := bootstrap(t.Context(), &bytes.Buffer{}, admin, cfg)
	require.ErrorContains(t, err, "pass -recreate")
	cfg.recreate = true
	var out bytes.Buffer
	require.NoError(t, bootstrap(t.Context(), &out, admin, cfg))
	assert.Contains(t, out.String(), `deleted robot "robot$p+ci"`)
	require.Len(t, srv.Robots(), 1)
	assert.NotEqual(t, first, srv.Robots()[0].ID)
}
