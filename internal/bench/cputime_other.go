//go:build !unix

package bench

import "time"

// CPUTime is not available on this platform; it returns false.
func CPUTime() (time.Duration, bool) { return 0, false }
