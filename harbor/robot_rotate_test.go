package harbor_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/credentials"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// savedRobot creates robot rc on srv and saves its credentials file.
func savedRobot(t *testing.T, admin *harbor.Client, name string) (string, int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".json")
	created, err := admin.CreateRobot(t.Context(), projectCreator(name), harbor.SaveCredentials(path))
	require.NoError(t, err)
	return path, created.ID
}

// A file from another Harbor, whose id names an unrelated robot here, is
// refused before any change: that robot keeps its secret, the file is
// unchanged (issue 18 item 2). So are a file whose level or project is not
// the robot's.
func TestRotateCredentialsFileRefusesAnotherRobot(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("p1", false)
	srv.AddProject("p2", false)
	_, otherID := savedRobot(t, admin, "other")
	otherSecret, _ := srv.RobotSecret(otherID)
	_, ciID := savedRobot(t, admin, "ci")
	pr, err := admin.CreateRobot(t.Context(), harbor.ProjectRobot("p1", "deploy", 1, harbor.Allow(harbor.ResourceRepository, harbor.ActionPull)))
	require.NoError(t, err)

	staging := func(name string, id int64, level string, namespace string) string {
		path := filepath.Join(t.TempDir(), "staging.json")
		cred := &credentials.Credentials{Name: name, Secret: credentials.NewSecret("Staging-S3cret1"), ID: &id, Level: &level}
		if namespace != "" {
			cred.Permissions = []credentials.Permission{{Kind: "project", Namespace: namespace}}
		}
		require.NoError(t, credentials.Save(path, cred))
		return path
	}
	for name, tc := range map[string]struct {
		path, want string
		id         int64
	}{
		"another Harbor's robot$ci": {staging("robot$ci", otherID, "system", ""), `the file names robot "robot$ci" (id ` + fmt.Sprint(otherID) + `), but Harbor's robot ` + fmt.Sprint(otherID) + ` is "robot$other" (level "system", name differs)`, otherID},
		"the level":                 {staging("robot$ci", ciID, "project", ""), "level differs", ciID},
		"the project":               {staging("robot$p2+deploy", pr.ID, "project", "p2"), `is "robot$p1+deploy" (level "project", name differs)`, pr.ID},
	} {
		t.Run(name, func(t *testing.T) {
			before, _ := os.ReadFile(tc.path)
			inForce, _ := srv.RobotSecret(tc.id)
			_, err := admin.RotateCredentialsFile(t.Context(), tc.path, "")
			require.Error(t, err)
			assert.ErrorContains(t, err, "harbor: RotateCredentialsFile: "+tc.path+": refusing to rotate")
			assert.ErrorContains(t, err, tc.want)
			assert.ErrorContains(t, err, "(the file is unchanged)")
			after, _ := os.ReadFile(tc.path)
			assert.Equal(t, string(before), string(after))
			now, _ := srv.RobotSecret(tc.id)
			assert.Equal(t, inForce, now, "the robot Harbor has under that id keeps its secret")
		})
	}
	now, _ := srv.RobotSecret(otherID)
	assert.Equal(t, otherSecret, now)
}

// fileSecretInForce reports whether the secret in the file at path is the
// one Harbor accepts for robot id.
func fileSecretInForce(t *testing.T, srv *harbortest.Server, path string, id int64) bool {
	t.Helper()
	cred, err := credentials.Load(path)
	require.NoError(t, err)
	inForce, _ := srv.RobotSecret(id)
	return cred.Secret.Reveal() == inForce
}

// Overlapping rotations of one file (4 goroutines, 20 rounds) take turns:
// whatever the interleaving, the file ends with the secret Harbor accepts
// (issue 18 item 2).
func TestRotateCredentialsFileConcurrently(t *testing.T) {
	srv, admin := newServer(t)
	path, id := savedRobot(t, admin, "cron")
	for round := range 20 {
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for g := range 4 {
			wg.Go(func() { _, errs[g] = admin.RotateCredentialsFile(t.Context(), path, "") })
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err, "round %d", round)
		}
		require.True(t, fileSecretInForce(t, srv, path, id), "round %d: the file holds a secret Harbor does not accept", round)
	}
}

// Across processes: while another process holds the file's rotation lock,
// a rotation waits (here its ctx is already done, so it gives up at once,
// saying why, before any request); once that process dies without
// releasing it (a crash), the next rotation proceeds (issue 18 item 2).
func TestRotateCredentialsFileWaitsForAnotherProcess(t *testing.T) {
	srv, admin := newServer(t)
	path, id := savedRobot(t, admin, "cron2")
	cmd := exec.Command(os.Args[0], "-test.run=^TestRotateHelperProcess$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "ROTATE_HELPER_PATH="+path)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := bufio.NewScanner(stdout)
	for lines.Scan() && lines.Text() != "locked" {
	}

	before, _ := os.ReadFile(path)
	srv.ResetRequests()
	done, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = admin.RotateCredentialsFile(done, path, "")
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, "another rotation holds "+path+".lock (the file is unchanged)")
	assert.Empty(t, srv.Requests(), "no request while another process rotates")
	after, _ := os.ReadFile(path)
	assert.Equal(t, string(before), string(after))

	_, err = io.WriteString(stdin, "crash\n")
	require.NoError(t, err)
	var ee *exec.ExitError
	require.ErrorAs(t, cmd.Wait(), &ee)
	assert.Equal(t, 3, ee.ExitCode())
	if runtime.GOOS == "windows" {
		return // the lock file of a crashed rotation stays there (see RotateCredentialsFile)
	}
	_, err = admin.RotateCredentialsFile(t.Context(), path, "")
	require.NoError(t, err)
	assert.True(t, fileSecretInForce(t, srv, path, id))
}

// TestRotateHelperProcess is the other process of
// TestRotateCredentialsFileWaitsForAnotherProcess: it takes the lock and
// exits without releasing it when told to. It does nothing otherwise.
func TestRotateHelperProcess(t *testing.T) {
	path := os.Getenv("ROTATE_HELPER_PATH")
	if path == "" {
		t.Skip("run by TestRotateCredentialsFileWaitsForAnotherProcess")
	}
	_, err := harbor.LockRotation(t.Context(), path)
	require.NoError(t, err)
	fmt.Println("locked")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	os.Exit(3) // a crash: the lock is not released by the process
}
