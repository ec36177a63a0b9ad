package credentials

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "robot.json")

	require.NoError(t, CheckWritable(path, false))
	require.NoError(t, CheckWritable(path, true))
	assert.Empty(t, dirNames(t, dir), "the check leaves nothing behind")

	require.NoError(t, os.WriteFile(path, []byte("x"), 0o600))
	err := CheckWritable(path, false)
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrExist)
	assert.Contains(t, err.Error(), path+": file already exists")
	require.NoError(t, CheckWritable(path, true))
	assert.Equal(t, []string{"robot.json"}, dirNames(t, dir))

	missing := filepath.Join(dir, "nodir", "robot.json")
	err = CheckWritable(missing, false)
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.Contains(t, err.Error(), missing)

	// A file used as a directory.
	under := filepath.Join(path, "robot.json")
	err = CheckWritable(under, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), under)

	err = CheckWritable(dir, true)
	assert.ErrorIs(t, err, ErrIsDir)
	assert.Contains(t, err.Error(), dir+": is a directory")

	assert.ErrorIs(t, CheckWritable("", false), ErrInvalid)
}

func TestCheckWritableSymlink(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(filepath.Join(dir, "target.json"), link); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
	for _, overwrite := range []bool{false, true} {
		err := CheckWritable(link, overwrite)
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrSymlink)
		assert.Contains(t, err.Error(), link+": is a symbolic link")
	}
}
