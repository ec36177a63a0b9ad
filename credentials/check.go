package credentials

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// CheckWritable reports whether [Save] can write path, without writing it.
// Run it before creating a robot account, whose secret Harbor shows only
// once, so that a bad path fails before the robot exists.
//
// It checks that path does not exist (unless overwrite is set, in which case
// a regular file may exist), is not a directory nor a symbolic link, and that
// its directory exists and is writable, by creating and removing a temporary
// file there.
//
// Errors are [*Error] values naming path: errors.Is(err, fs.ErrExist) if the
// file exists and overwrite is false, [ErrSymlink], [ErrIsDir] or
// [ErrNotRegular] for what Save refuses to replace, fs.ErrNotExist if the
// directory does not exist and fs.ErrPermission if it is not writable.
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
