//go:build unix

package credentials

import (
	"errors"
	"io/fs"
	"syscall"
)

// ownerUID returns the user ID owning the file fi describes.
func ownerUID(fi fs.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

// isNotDir reports whether err says that a path's parent is not a directory.
func isNotDir(err error) bool { return errors.Is(err, syscall.ENOTDIR) }
