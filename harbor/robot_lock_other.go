//go:build !unix

package harbor

import (
	"errors"
	"io/fs"
	"os"
)

// tryLock creates the file at lockPath, which must not exist, without
// waiting: nil, nil when it exists (another holds the lock).
func tryLock(lockPath string) (unlock func(), err error) {
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return func() { f.Close(); os.Remove(lockPath) }, nil
}
