//go:build unix

package harbor

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// tryLock takes an flock(2) on lockPath (created if needed) without
// waiting: nil, nil when another holds it.
func tryLock(lockPath string) (unlock func(), err error) {
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err == nil {
		if err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
			return func() { f.Close() }, nil // closing releases it
		}
		f.Close()
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, nil
	}
	return nil, fmt.Errorf("locking %s: %w", lockPath, err)
}
