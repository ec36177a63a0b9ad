//go:build !unix

package credentials

import "io/fs"

// ownerUID reports no owner: file ownership by user ID, and the sticky-bit
// rule that needs it, are Unix matters.
func ownerUID(fs.FileInfo) (int, bool) { return 0, false }

// isNotDir reports false: on other systems a file used as a directory gives
// an error that already matches fs.ErrNotExist.
func isNotDir(error) bool { return false }
