//go:build unix

package bench

import (
	"syscall"
	"time"
)

// CPUTime returns the user plus system CPU time the process has used so
// far, and true; benchmarks report it per op next to wall time, because on
// a busy machine waiting for a CPU inflates wall time but not CPU time.
func CPUTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
