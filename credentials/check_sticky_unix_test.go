//go:build unix

package credentials

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stickyChildEnv holds the path that TestStickyChild checks when the test
// binary runs as a child under another user ID.
const stickyChildEnv = "CREDENTIALS_TEST_STICKY_TARGET"

// stickyOutcome is what the child reports: what CheckWritable predicted, and
// what the kernel did with the rename that Save performs.
type stickyOutcome struct {
	Check          string // "" when CheckWritable accepted
	CheckPermError bool   // errors.Is(check, fs.ErrPermission)
	Rename         string // "" when a temporary file could be renamed over the target
	RenamePerm     bool
	Save           string // "" when Save with Overwrite succeeded
}

// probeReplace runs CheckWritable on target, then tries the move Save ends
// with (a rename of a new file over target), then Save itself.
func probeReplace(target string) stickyOutcome {
	var out stickyOutcome
	if err := CheckWritable(target, true); err != nil {
		out.Check = err.Error()
		out.CheckPermError = errors.Is(err, fs.ErrPermission)
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), ".probe-*")
	if err != nil {
		out.Rename = "create temp: " + err.Error()
	} else {
		_ = tmp.Close()
		if err := os.Rename(tmp.Name(), target); err != nil {
			out.Rename = err.Error()
			out.RenamePerm = errors.Is(err, fs.ErrPermission)
			_ = os.Remove(tmp.Name())
		}
	}
	if err := Save(target, sampleCredentials(), Overwrite()); err != nil {
		out.Save = err.Error()
	}
	return out
}

// TestStickyChild is the child side of TestCheckWritableStickyRealFS; it does
// nothing in a normal run.
func TestStickyChild(t *testing.T) {
	target := os.Getenv(stickyChildEnv)
	if target == "" {
		t.Skip("runs only as the child of TestCheckWritableStickyRealFS")
	}
	b, err := json.Marshal(probeReplace(target))
	require.NoError(t, err)
	os.Stdout.Write(append([]byte("STICKY-RESULT "), append(b, '\n')...))
}

// TestCheckWritableStickyRealFS checks, on the real file system and kernel,
// that CheckWritable predicts what the rename in Save meets in a directory
// with the sticky bit. Root is exempt from the rule, so the test needs root
// to set up files owned by other users and then runs the probe in a child
// process with another user ID.
func TestCheckWritableStickyRealFS(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: files owned by other users are made with chown, and the probe then drops to another user ID")
	}
	const (
		me    = 65534 // the child's user ID
		other = 65533
	)
	base, err := os.MkdirTemp("", "sticky-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	require.NoError(t, os.Chmod(base, 0o755)) // the child must reach what is inside

	// The test binary sits in a private build directory: copy it where the
	// child's user can run it.
	exe, err := os.Executable()
	require.NoError(t, err)
	bin := filepath.Join(base, "credentials.test")
	copyFile(t, exe, bin, 0o755)

	mkdir := func(t *testing.T, name string, mode fs.FileMode, uid int) string {
		t.Helper()
		d := filepath.Join(base, name)
		require.NoError(t, os.Mkdir(d, 0o700))
		chown(t, d, uid)
		require.NoError(t, os.Chmod(d, mode)) // after chown, which may clear the sticky bit
		return d
	}
	file := func(t *testing.T, dir string, uid int) string {
		t.Helper()
		p := filepath.Join(dir, "robot.json")
		require.NoError(t, os.WriteFile(p, []byte("{}"), 0o666))
		chown(t, p, uid)
		return p
	}

	cases := []struct {
		name    string
		dirMode fs.FileMode
		dirUID  int
		fileUID int
		allowed bool
	}{
		{"like /tmp: another user's file in root's sticky directory", fs.ModeSticky | 0o777, 0, other, false},
		{"root's file in root's sticky directory", fs.ModeSticky | 0o777, 0, 0, false},
		{"own file in root's sticky directory", fs.ModeSticky | 0o777, 0, me, true},
		{"another user's file in own sticky directory", fs.ModeSticky | 0o777, me, other, true},
		{"another user's file in a world-writable directory without the sticky bit", 0o777, 0, other, true},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := mkdir(t, "d"+strconv.Itoa(i), tc.dirMode, tc.dirUID)
			target := file(t, dir, tc.fileUID)

			cmd := exec.Command(bin, "-test.run=^TestStickyChild$", "-test.count=1", "-test.v")
			cmd.Dir = base
			cmd.Env = append(os.Environ(), stickyChildEnv+"="+target)
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: me, Gid: me}}
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				if errors.Is(err, fs.ErrPermission) || strings.Contains(err.Error(), "operation not permitted") {
					t.Skipf("cannot start a process under another user ID here: %v", err)
				}
				t.Fatalf("child failed: %v\n%s\n%s", err, stdout.String(), stderr.String())
			}
			out := readStickyResult(t, stdout.String())

			// The kernel's verdict on the rename is the truth; the check
			// and Save must agree with it.
			assert.Equal(t, tc.allowed, out.Rename == "", "kernel rename: %s", out.Rename)
			assert.Equal(t, tc.allowed, out.Check == "", "CheckWritable: %s", out.Check)
			assert.Equal(t, tc.allowed, out.Save == "", "Save: %s", out.Save)
			if !tc.allowed {
				assert.True(t, out.RenamePerm, "the kernel refuses with EPERM: %s", out.Rename)
				assert.True(t, out.CheckPermError, "CheckWritable matches fs.ErrPermission: %s", out.Check)
				assert.Contains(t, out.Check, target+": cannot replace the file: it belongs to user ID "+strconv.Itoa(tc.fileUID))
				assert.Contains(t, out.Check, "sticky bit")
				assert.Equal(t, out.Check, out.Save, "Save refuses before writing, with the same error")
				assert.Equal(t, []string{"robot.json"}, dirNames(t, dir), "nothing left behind")
			}
		})
	}

	t.Run("root is exempt, and the check says so", func(t *testing.T) {
		dir := mkdir(t, "root", fs.ModeSticky|0o777, 0)
		out := probeReplace(file(t, dir, other))
		assert.Empty(t, out.Check)
		assert.Empty(t, out.Rename)
		assert.Empty(t, out.Save)
	})
}

// chown gives path to uid, or skips the test where root cannot (a user
// namespace that maps no such user ID, a file system without owners).
func chown(t *testing.T, path string, uid int) {
	t.Helper()
	if err := os.Chown(path, uid, uid); err != nil {
		t.Skipf("cannot give a file to user ID %d here: %v", uid, err)
	}
}

func readStickyResult(t *testing.T, stdout string) stickyOutcome {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(stdout))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "STICKY-RESULT "); ok {
			var out stickyOutcome
			require.NoError(t, json.Unmarshal([]byte(rest), &out))
			return out
		}
	}
	t.Fatalf("the child printed no result:\n%s", stdout)
	return stickyOutcome{}
}

func copyFile(t *testing.T, from, to string, mode fs.FileMode) {
	t.Helper()
	src, err := os.Open(from)
	require.NoError(t, err)
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	require.NoError(t, err)
	_, err = io.Copy(dst, src)
	require.NoError(t, err)
	require.NoError(t, dst.Close())
}
