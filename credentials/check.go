package credentials

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// CheckWritable reports whether [Save] can write path, with the errors Save
// would return, without writing: run it before creating a robot account,
// whose secret Harbor shows only once. It creates and removes a file in the
// directory to prove it writable.
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

// checkTarget checks what is at path before writing: nothing, or with
// overwrite a regular file that this process may replace.
func checkTarget(path string, overwrite bool) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fileError(path, "cannot check the path", err)
	case !fi.Mode().IsRegular():
		return checkRegular(path, fi.Mode())
	case !overwrite:
		return &Error{Path: path, Msg: "file already exists; use Overwrite to replace it", Err: fs.ErrExist}
	}
	// The sticky-bit rule (docs/credentials.md); owners are known on Unix only.
	dir := filepath.Dir(path)
	di, err := os.Stat(dir)
	if err != nil {
		return nil // reported when the temporary file is created
	}
	fileUID, ok1 := ownerUID(fi)
	dirUID, ok2 := ownerUID(di)
	if ok1 && ok2 && stickyForbids(di.Mode(), dirUID, fileUID, os.Geteuid()) {
		return &Error{Path: path, Msg: "cannot replace the file: it belongs to user ID " + strconv.Itoa(fileUID) +
			" and directory " + dir + " has the sticky bit, where only the file's owner, the directory's owner or root may replace it",
			Err: fs.ErrPermission}
	}
	return nil
}

// stickyForbids reports whether a directory's sticky bit forbids user uid to
// replace a file of fileUID there (uid 0 stands for CAP_FOWNER too).
func stickyForbids(dirMode fs.FileMode, dirUID, fileUID, uid int) bool {
	return dirMode&fs.ModeSticky != 0 && uid != 0 && uid != fileUID && uid != dirUID
}

// createTemp creates a file in path's directory, named after path, with
// errors that name the directory.
func createTemp(path, suffix string) (*os.File, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+suffix)
	switch {
	case err == nil:
		return f, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, &Error{Path: path, Msg: "directory " + dir + " does not exist", Err: err}
	case errors.Is(err, fs.ErrPermission):
		return nil, fileError(path, "directory "+dir+" is not writable", err)
	}
	return nil, fileError(path, "cannot create a file in directory "+dir, err)
}

// notDirError names the nearest existing parent of path if it is not a
// directory (matching fs.ErrNotExist), or returns nil.
func notDirError(path string) *Error {
	for dir := filepath.Dir(path); filepath.Dir(dir) != dir; dir = filepath.Dir(dir) {
		if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
			return &Error{Path: path, Msg: dir + " is not a directory", Err: fs.ErrNotExist}
		} else if err == nil {
			return nil
		}
	}
	return nil
}
