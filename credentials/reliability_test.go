package credentials

// Reliability of credentials files beyond save_test.go (which already covers
// 16 concurrent saves without Overwrite, a save interrupted before its
// rename, and symlink or directory targets): readers racing overwriting
// writers, and a writer process killed at arbitrary points.

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// generation returns credentials whose name and secret both carry i, so a
// reader can tell a complete file (matching pair) from a mix of two saves.
func generation(i int) *Credentials {
	c := sampleCredentials()
	c.Name = fmt.Sprintf("robot$gen-%d", i)
	c.Secret = NewSecret(fmt.Sprintf("secret-of-gen-%d-%s", i, strings.Repeat("x", 200)))
	return c
}

// checkGeneration asserts that c is one complete generation.
func checkGeneration(c *Credentials) error {
	n, ok := strings.CutPrefix(c.Name, "robot$gen-")
	if !ok {
		return fmt.Errorf("unexpected name %q", c.Name)
	}
	i, err := strconv.Atoi(n)
	if err != nil {
		return fmt.Errorf("unexpected name %q", c.Name)
	}
	if want := generation(i).Secret.Reveal(); c.Secret.Reveal() != want {
		return fmt.Errorf("%s: the secret is from another save", c.Name)
	}
	return nil
}

// Overwriting saves race with loads of the same path: every load sees one
// complete file (never a partial one, never "no such file"), and the
// directory ends with the file alone, mode 0600.
func TestConcurrentOverwriteSavesAndLoads(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "robot.json")
	require.NoError(t, Save(path, generation(0)))

	const writers, saves, readers = 4, 10, 4
	var loads atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, writers*saves+readers)
	for r := range readers {
		wg.Go(func() {
			// At least one load, even if the writers are done before this
			// goroutine first runs.
			for first := true; first || !stop.Load(); first = false {
				c, err := Load(path)
				if err == nil {
					err = checkGeneration(c)
				}
				if err != nil {
					errs <- fmt.Errorf("reader %d: %w", r, err)
					return
				}
				loads.Add(1)
			}
		})
	}
	var writersWG sync.WaitGroup
	for w := range writers {
		writersWG.Go(func() {
			for i := range saves {
				if err := Save(path, generation(1+w*saves+i), Overwrite()); err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
				}
			}
		})
	}
	writersWG.Wait()
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Positive(t, loads.Load())
	c, err := Load(path)
	require.NoError(t, err)
	require.NoError(t, checkGeneration(c))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, FileMode, fi.Mode().Perm())
	assert.Equal(t, []string{"robot.json"}, dirNames(t, dir), "no temporary file left")
}

const saveLoopEnv = "CREDENTIALS_TEST_SAVE_LOOP"

// TestHelperSaveLoop is not a test: run as a child process by
// TestSaveKilledAtAnyPointLeavesCompleteFile, it overwrites the file given
// in the environment until it is killed.
func TestHelperSaveLoop(t *testing.T) {
	path := os.Getenv(saveLoopEnv)
	if path == "" {
		return
	}
	for i := 1; ; i++ {
		if err := Save(path, generation(i), Overwrite()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
	}
}

// A process killed (SIGKILL on Unix) while it overwrites the file, at
// whatever point it has reached, leaves the previous or the new file at the
// path, complete and loadable. A temporary file may be left behind; it is
// ignored by Load and does not stop later saves.
func TestSaveKilledAtAnyPointLeavesCompleteFile(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "robot.json")
	require.NoError(t, Save(path, generation(0)))
	for round := range 4 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSaveLoop$", "-test.count=1")
		cmd.Env = append(os.Environ(), saveLoopEnv+"="+path)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		before, err := Load(path)
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		t.Cleanup(func() { _ = cmd.Process.Kill() }) // if the test fails before the kill below
		// Kill it a few milliseconds after its first save in this round
		// landed, so it dies in the middle of its loop.
		deadline := time.Now().Add(time.Minute)
		for {
			c, err := Load(path)
			require.NoError(t, err, "round %d", round)
			require.NoError(t, checkGeneration(c), "round %d", round)
			if c.Name != before.Name {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the child saved nothing in a minute: %s", stderr.String())
			}
			time.Sleep(time.Millisecond)
		}
		time.Sleep(time.Duration(rand.IntN(5000)) * time.Microsecond)
		require.NoError(t, cmd.Process.Kill())
		err = cmd.Wait()
		require.Error(t, err, "the child was killed, it does not exit by itself")
		require.Empty(t, stderr.String(), "the child's saves failed")

		c, err := Load(path)
		require.NoError(t, err, "round %d", round)
		require.NoError(t, checkGeneration(c), "round %d", round)
	}
	for _, name := range dirNames(t, dir) {
		if name != "robot.json" {
			assert.True(t, strings.HasPrefix(name, ".robot.json.tmp-"), "unexpected file %s", name)
		}
	}
	require.NoError(t, Save(path, generation(1000), Overwrite()))
	c, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, "robot$gen-1000", c.Name)
	err = Save(path, generation(1001))
	assert.ErrorIs(t, err, fs.ErrExist, "still refused without Overwrite")
}

// Load follows symbolic links, and its errors name the path it was given
// (the link), not the target: a dangling link is fs.ErrNotExist, a link to a
// directory ErrIsDir.
func TestLoadThroughSymlinkErrorsNameTheLink(t *testing.T) {
	dir := t.TempDir()
	dangling := filepath.Join(dir, "dangling.json")
	if err := os.Symlink(filepath.Join(dir, "missing.json"), dangling); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
	_, err := Load(dangling)
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.Contains(t, err.Error(), dangling+": ")

	sub := filepath.Join(dir, "sub")
	require.NoError(t, os.Mkdir(sub, 0o700))
	toDir := filepath.Join(dir, "todir.json")
	require.NoError(t, os.Symlink(sub, toDir))
	_, err = Load(toDir)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrIsDir)
	assert.Contains(t, err.Error(), toDir+": is a directory")

	for _, overwrite := range []bool{false, true} {
		err := CheckWritable(toDir, overwrite)
		assert.ErrorIs(t, err, ErrSymlink)
		assert.Contains(t, err.Error(), toDir+": is a symbolic link")
	}
}
