package credentials

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// CheckWritable reports whether [Save] can write path, without writing: run
// it before creating a robot account, whose secret Harbor shows only once.
//
// It checks that nothing is at path (or, with overwrite, a regular file this
// process may replace, the sticky-bit rule of Unix included), and that the
// directory exists and is writable, by creating and removing a file there.
// Errors are [*Error] values naming path, matching what Save would return:
// fs.ErrExist, [ErrSymlink], [ErrIsDir], [ErrNotRegular], fs.ErrNotExist
// (a missing directory or a parent that is not one, named) or
// fs.ErrPermission.
func CheckWritable(path string, overwrite bool) error {
	if path == "" {
		return &Error{Msg: "empty path", Err: ErrInvalid}
	}
	if err := checkTarget(path, overwrite); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &Error{Path: path, Msg: "directory " + dir + " does not exist", Err: err}
		}
		return fileError(path, "cannot access directory "+dir, err)
	}
	if !fi.IsDir() {
		return &Error{Path: path, Msg: dir + " is not a directory", Err: fs.ErrNotExist}
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".check-*")
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return &Error{Path: path, Msg: "directory " + dir + " is not writable: " + osErrorText(err), Err: err}
		}
		return fileError(path, "cannot create a file in directory "+dir, err)
	}
	name := f.Name()
	_ = f.Close()
	if err := os.Remove(name); err != nil {
		return fileError(path, "cannot remove the test file "+name, err)
	}
	return nil
}
