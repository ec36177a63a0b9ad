package harbor_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/credentials"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func onSecretCheck() []harbortest.FaultOption {
	return []harbortest.FaultOption{harbortest.OnMethod("GET"), harbortest.OnPath("/api/v2.0/users/current/permissions")}
}

// A proxy's 502 on the PATCH that sets a chosen secret (Harbor may or may
// not have carried it out): CreateRobot checks which secret is in force,
// returns and saves that one; when the checks fail too, it still saves
// the generated secret and says that the chosen one may be the one in
// force. No error text holds either secret.
func TestChosenSecretAfterProxyErrors(t *testing.T) {
	for _, checksFail := range []bool{false, true} {
		t.Run(map[bool]string{false: "checked", true: "checks fail"}[checksFail], func(t *testing.T) {
			srv, admin := newServer(t)
			srv.FailNext(1, 502, onRobotPatch()...)
			if checksFail {
				srv.FailNext(100, 502, onSecretCheck()...)
			}
			rc := projectCreator("chosen")
			rc.Secret = chosenSecret
			path := filepath.Join(t.TempDir(), "robot.json")
			created, err := admin.CreateRobot(t.Context(), rc, harbor.SaveCredentials(path))
			require.NotNil(t, created, "the robot exists: it must be returned (%v)", err)
			require.ErrorIs(t, err, harbor.ErrRobotIncomplete)
			assert.ErrorIs(t, err, harbor.ErrServer)
			inForce, _ := srv.RobotSecret(created.ID)
			assert.Equal(t, inForce, created.Secret)
			cred, lerr := credentials.Load(path)
			require.NoError(t, lerr, "the file is the user's only copy of the generated secret")
			assert.Equal(t, inForce, cred.Secret.Reveal())
			want := "Harbor's generated secret, which works (checked; the chosen one does not)"
			if checksFail {
				want = "which secret is in force could not be checked, try the chosen one too"
			}
			assert.Contains(t, err.Error(), want)
			assert.NotContains(t, err.Error(), inForce)
			assert.NotContains(t, err.Error(), chosenSecret)
		})
	}
}

// A proxy's 502 on CreateRobot's POST (Harbor did not create the robot):
// an *Error matching ErrServer, sent once, and no credentials file.
func TestCreateRobotProxyErrorSavesNothing(t *testing.T) {
	srv, admin := newServer(t)
	srv.FailNext(3, 502, harbortest.OnMethod("POST"), harbortest.OnPath("/api/v2.0/robots"))
	path := filepath.Join(t.TempDir(), "robot.json")
	created, err := admin.CreateRobot(t.Context(), projectCreator("bot"), harbor.SaveCredentials(path))
	require.ErrorIs(t, err, harbor.ErrServer)
	assert.Nil(t, created)
	assert.Empty(t, srv.Robots())
	_, serr := os.Stat(path)
	assert.ErrorIs(t, serr, os.ErrNotExist)
	posts := 0
	for _, r := range srv.Requests() {
		if r.Method == "POST" && r.Path == "/api/v2.0/robots" {
			posts++
		}
	}
	assert.Equal(t, 1, posts, "a POST is never retried")
}

// A proxy's 502 on RotateCredentialsFile's PATCH (not carried out): the
// file is unchanged and the error says its old secret still works.
func TestRotateAfterProxyError(t *testing.T) {
	srv, admin := newServer(t)
	path := filepath.Join(t.TempDir(), "robot.json")
	created, err := admin.CreateRobot(t.Context(), projectCreator("bot"), harbor.SaveCredentials(path))
	require.NoError(t, err)
	srv.FailNext(1, 502, onRobotPatch()...)
	_, err = admin.RotateCredentialsFile(t.Context(), path, "")
	require.ErrorIs(t, err, harbor.ErrServer)
	assert.Contains(t, err.Error(), "the file still holds the old secret, which still works")
	assert.NotContains(t, err.Error(), created.Secret)
	cred, err := credentials.Load(path)
	require.NoError(t, err)
	assert.Equal(t, created.Secret, cred.Secret.Reveal())
}
