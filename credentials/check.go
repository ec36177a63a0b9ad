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
	f, err := createTemp(path, ".check-*")
	if err != nil {
		return err
	}
	_ = f.Close()
	if err := os.Remove(f.Name()); err != nil {
		return fileError(path, "cannot remove the test file "+f.Name(), err)
	}
	return nil
}

// createTemp creates a file in path's directory, named after path, with
// errors that name the directory.
func createTemp(path, suffix string) (*os.File, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+suffix)
	switch {
	case err == nil:
		return f, nil
	case isNotDir(err):
		return nil, notDirError(path)
	case errors.Is(err, fs.ErrNotExist):
		return nil, &Error{Path: path, Msg: "directory " + dir + " does not exist", Err: err}
	case errors.Is(err, fs.ErrPermission):
		return nil, &Error{Path: path, Msg: "directory " + dir + " is not writable: " + osErrorText(err), Err: err}
	}
	return nil, fileError(path, "cannot create a file in directory "+dir, err)
}
