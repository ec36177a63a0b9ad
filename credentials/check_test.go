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

func TestParentIsAFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "plain")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o600))
	cases := []struct {
		name string
		path string
	}{
		{"parent", filepath.Join(file, "robot.json")},
		{"grandparent", filepath.Join(file, "sub", "robot.json")},
		{"deeper", filepath.Join(file, "a", "b", "c", "robot.json")},
	}
	calls := map[string]func(path string) error{
		"CheckWritable":           func(p string) error { return CheckWritable(p, false) },
		"CheckWritable overwrite": func(p string) error { return CheckWritable(p, true) },
		"Save":                    func(p string) error { return Save(p, sampleCredentials()) },
		"Save overwrite":          func(p string) error { return Save(p, sampleCredentials(), Overwrite()) },
		"Load":                    func(p string) error { _, err := Load(p); return err },
	}
	for _, tc := range cases {
		for name, call := range calls {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				err := call(tc.path)
				require.Error(t, err)
				assert.ErrorIs(t, err, fs.ErrNotExist)
				assert.Equal(t, "credentials: "+tc.path+": "+file+" is not a directory", err.Error())
			})
		}
	}
	assert.Equal(t, []string{"plain"}, dirNames(t, dir), "nothing left behind")
}
