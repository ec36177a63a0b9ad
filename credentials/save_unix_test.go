//go:build unix

package credentials

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSaveModeWhateverTheUmask changes the process umask, so it must not run
// in parallel with other tests.
func TestSaveModeWhateverTheUmask(t *testing.T) {
	for _, umask := range []int{0, 0o022, 0o077, 0o277} {
		dir := t.TempDir() // before changing the umask, which would apply to it
		old := syscall.Umask(umask)
		path := filepath.Join(dir, "robot.json")
		err := Save(path, sampleCredentials())
		errOverwrite := Save(path, sampleCredentials(), Overwrite())
		syscall.Umask(old)
		require.NoError(t, err, "umask %#o", umask)
		require.NoError(t, errOverwrite, "umask %#o", umask)

		fi, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "umask %#o", umask)
		assert.True(t, fi.Mode().IsRegular())
	}
}

func TestSaveRefusesFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	err := Save(path, sampleCredentials(), Overwrite())
	assert.ErrorIs(t, err, ErrNotRegular)
	_, err = Load(path) // must not block
	assert.ErrorIs(t, err, ErrNotRegular)
	assert.ErrorIs(t, CheckWritable(path, true), ErrNotRegular)
}

func TestCheckWritableReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write to read-only directories")
	}
	dir := t.TempDir()
	require.NoError(t, os.Chmod(dir, 0o500))
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	path := filepath.Join(dir, "robot.json")
	err := CheckWritable(path, false)
	require.Error(t, err)
	assert.ErrorIs(t, err, os.ErrPermission)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), "is not writable")

	err = Save(path, sampleCredentials())
	assert.ErrorIs(t, err, os.ErrPermission)
}
