package credentials

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
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

// beforeCommit is called by Save after the temporary file is written, synced
// and closed, and before it is renamed or linked to the final path. It is a
// seam for tests, which make it fail to simulate a save interrupted at that
// point; it must stay a no-op otherwise.
var beforeCommit = func(tmpPath string) error { return nil }

// Save writes c to path as [Encode] formats it, with mode 0600 ([FileMode])
// whatever the umask, so that harborapi (credentials_file=) and [Load] can
// read it.
//
// The write is atomic: Save writes a temporary file in the same directory,
// syncs it to disk and then moves it into place, and finally syncs the
// directory (best effort). A crash at any point leaves either the old file
// or the new one at path, never a partial file. With [Overwrite] the move is
// a rename that replaces any existing file. Without it the move is a hard
// link, which fails if path exists, so of several concurrent saves to the
// same path exactly one succeeds and none is clobbered; this requires a file
// system with hard links.
//
// Errors are [*Error] values naming path, and nothing is written when Save
// fails: [ErrInvalid] or [ErrMissingField] for credentials [Encode] refuses
// (checked first); an existing file without Overwrite matches
// errors.Is(err, fs.ErrExist); [ErrSymlink] if path is a symbolic link (Save
// never writes through links), [ErrIsDir] if it is a directory,
// [ErrNotRegular] for another non-regular file; a missing directory matches
// fs.ErrNotExist and an unwritable one fs.ErrPermission.
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
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fileError(path, "cannot create a temporary file in "+dir, err)
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
	syncDir(dir)
	return nil
}

// checkTarget checks what is at path before writing to it: nothing, or a
// regular file when overwrite is set.
func checkTarget(path string, overwrite bool) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fileError(path, "cannot check the path", err)
	}
	if err := checkRegular(path, fi.Mode()); err != nil {
		return err
	}
	if !overwrite {
		return &Error{Path: path, Msg: "file already exists; use Overwrite to replace it", Err: fs.ErrExist}
	}
	return nil
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
