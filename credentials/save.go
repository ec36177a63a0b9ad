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

type saveOptions struct{ overwrite bool }

// Overwrite lets [Save] replace an existing file; without it Save fails if
// the file exists.
func Overwrite() SaveOption { return func(o *saveOptions) { o.overwrite = true } }

// beforeCommit runs before the temporary file is moved into place (a test hook).
var beforeCommit = func(tmpPath string) error { return nil }

// Save writes c to path as [Encode] formats it, with mode [FileMode], for
// harborapi and [Load] to read. The write is atomic, never goes through a
// symbolic link and, without [Overwrite], never replaces a file, even when
// processes save at once (see docs/credentials.md). Nothing is written on
// error: what Encode or [CheckWritable] refuse.
func Save(path string, c *Credentials, opts ...SaveOption) (err error) {
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
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	_, werr := tmp.Write(data)
	// Chmod: CreateTemp's mode is 0600 minus the umask; make it exactly 0600.
	if err := errors.Join(werr, tmp.Chmod(FileMode), tmp.Sync(), tmp.Close()); err != nil {
		return fileError(path, "cannot write the temporary file", err)
	}
	if err := beforeCommit(tmp.Name()); err != nil {
		return &Error{Path: path, Msg: "save interrupted before moving the file into place: " + err.Error(), Err: err}
	}
	if o.overwrite {
		if err := os.Rename(tmp.Name(), path); err != nil {
			return fileError(path, "cannot move the temporary file into place", err)
		}
	} else {
		// A hard link fails if path exists: of concurrent saves, one wins.
		if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
			return &Error{Path: path, Msg: "file already exists; use Overwrite to replace it", Err: err}
		} else if err != nil {
			return fileError(path, "cannot link the temporary file into place", err)
		}
		_ = os.Remove(tmp.Name())
	}
	// Flush the directory entry too, where the platform allows it.
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}
