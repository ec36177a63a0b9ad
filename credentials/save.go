package credentials

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// FileMode is the permission of the files Save writes, whatever the umask.
const FileMode fs.FileMode = 0o600

// SaveOption changes how [Save] writes.
type SaveOption func(*saveOptions)

type saveOptions struct {
	overwrite bool
}

// Overwrite lets [Save] replace an existing file. Without it, Save fails if
// the file exists.
func Overwrite() SaveOption {
	return func(o *saveOptions) { o.overwrite = true }
}

// beforeCommit runs after the temporary file is written and closed, before
// it is moved into place: tests make it fail to interrupt a save there.
var beforeCommit = func(tmpPath string) error { return nil }

// Save writes c to path as [Encode] formats it, with mode 0600 ([FileMode])
// whatever the umask, for harborapi (credentials_file=) and [Load] to read.
//
// The write is atomic: a temporary file in the same directory is written,
// synced and moved into place, then the directory is synced (best effort);
// a crash leaves the old file or the new one, never a partial one. With
// [Overwrite] the move is a rename; without it, a hard link, which fails if
// path exists, so of concurrent saves to one path exactly one succeeds (this
// needs a file system with hard links).
//
// Errors are [*Error] values naming path, and nothing is written on error:
// what [Encode] refuses (checked first); fs.ErrExist for an existing file
// without Overwrite; [ErrSymlink], [ErrIsDir] or [ErrNotRegular] for what is
// not a regular file (links are never written through); fs.ErrNotExist for
// a missing directory; fs.ErrPermission for an unwritable one, or a file the
// sticky-bit rule forbids replacing (see [CheckWritable]).
func Save(path string, c *Credentials, opts ...SaveOption) error {
	var o saveOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if path == "" {
		return &Error{Msg: "empty path", Err: ErrInvalid}
	}
	data, err := encode(c, path)
	if err != nil {
		return err
	}
	if err := checkTarget(path, o.overwrite); err != nil {
		return err
	}
	tmp, err := createTemp(path, ".tmp-*")
	if err != nil {
		return err
	}
	tmpPath := tmp.Name()
	done := false
	defer func() {
		if !done {
			_ = tmp.Close()
			_ = os.Remove(tmpPath)
		}
	}()
	// CreateTemp uses 0600 minus the umask; make it exactly 0600.
	if err := tmp.Chmod(FileMode); err != nil {
		return fileError(path, "cannot set the temporary file's mode", err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fileError(path, "cannot write the temporary file", err)
	}
	if err := tmp.Sync(); err != nil {
		return fileError(path, "cannot sync the temporary file", err)
	}
	if err := tmp.Close(); err != nil {
		return fileError(path, "cannot close the temporary file", err)
	}
	if err := beforeCommit(tmpPath); err != nil {
		return &Error{Path: path, Msg: "save interrupted before moving the file into place: " + err.Error(), Err: err}
	}
	if o.overwrite {
		if err := os.Rename(tmpPath, path); err != nil {
			return fileError(path, "cannot move the temporary file into place", err)
		}
	} else {
		if err := os.Link(tmpPath, path); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return &Error{Path: path, Msg: "file already exists; use Overwrite to replace it", Err: err}
			}
			return fileError(path, "cannot link the temporary file into place", err)
		}
		_ = os.Remove(tmpPath)
	}
	done = true
	syncDir(filepath.Dir(path))
	return nil
}

// checkTarget checks what is at path before writing to it: nothing, or a
// regular file when overwrite is set that this process may replace.
func checkTarget(path string, overwrite bool) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		if isNotDir(err) {
			return notDirError(path)
		}
		return fileError(path, "cannot check the path", err)
	}
	if err := checkRegular(path, fi.Mode()); err != nil {
		return err
	}
	if !overwrite {
		return &Error{Path: path, Msg: "file already exists; use Overwrite to replace it", Err: fs.ErrExist}
	}
	return checkReplaceable(path, fi)
}

// checkReplaceable applies the sticky-bit rule to the existing file at path:
// in a directory with the sticky bit, such as /tmp, the rename Save uses
// would fail after the robot account was created. Where owners are unknown
// (not Unix) the check passes.
func checkReplaceable(path string, fi fs.FileInfo) error {
	dir := filepath.Dir(path)
	di, err := os.Stat(dir)
	if err != nil {
		return nil // reported by the directory checks that follow
	}
	fileUID, ok1 := ownerUID(fi)
	dirUID, ok2 := ownerUID(di)
	if !ok1 || !ok2 {
		return nil
	}
	if stickyForbids(di.Mode(), dirUID, fileUID, os.Geteuid()) {
		return &Error{Path: path, Msg: "cannot replace the file: it belongs to user ID " + strconv.Itoa(fileUID) +
			" and directory " + dir + " has the sticky bit, where only the file's owner, the directory's owner or root may replace it",
			Err: fs.ErrPermission}
	}
	return nil
}

// stickyForbids reports whether the sticky-bit rule forbids user uid to
// replace a file owned by fileUID in a directory of mode dirMode owned by
// dirUID: only the file's owner, the directory's owner or root may (uid 0
// stands for Linux's CAP_FOWNER too).
func stickyForbids(dirMode fs.FileMode, dirUID, fileUID, uid int) bool {
	if dirMode&fs.ModeSticky == 0 {
		return false
	}
	return uid != 0 && uid != fileUID && uid != dirUID
}

// notDirError reports that a parent of path is not a directory, naming the
// first one found from the file upwards. It matches fs.ErrNotExist: the
// directory to write in does not exist.
func notDirError(path string) *Error {
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		if fi, err := os.Stat(dir); err == nil {
			if !fi.IsDir() {
				return &Error{Path: path, Msg: dir + " is not a directory", Err: fs.ErrNotExist}
			}
			break
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	return &Error{Path: path, Msg: "a parent of the path is not a directory", Err: fs.ErrNotExist}
}

// syncDir flushes a directory entry change to disk, where the platform allows
// it; errors are ignored.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
