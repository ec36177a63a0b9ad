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
// a regular file may exist if this process may replace it), is not a
// directory nor a symbolic link, and that its directory exists and is
// writable, by creating and removing a temporary file there. On Unix, an
// existing file in a directory with the sticky bit (such as /tmp) may only be
// replaced by its owner, the directory's owner or root; CheckWritable applies
// that rule, as the rename in Save would meet it.
//
// Errors are [*Error] values naming path: errors.Is(err, fs.ErrExist) if the
// file exists and overwrite is false, [ErrSymlink], [ErrIsDir] or
// [ErrNotRegular] for what Save refuses to replace, fs.ErrNotExist if the
// directory does not exist or a parent is not a directory (the message names
// it), and fs.ErrPermission if the directory is not writable or the sticky
// bit forbids replacing the file.
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
