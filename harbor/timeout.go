package harbor

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// withTimeout bounds one call (WithTimeout): every attempt, every wait
// between them and the reading of the answer. d == 0 means no bound.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, d)
}

// timeoutError says so when the client's own timeout, rather than the
// caller's context, ended the call; the result still matches
// context.DeadlineExceeded.
func timeoutError(caller, call context.Context, d time.Duration, err error) error {
	if d <= 0 || caller.Err() != nil || !errors.Is(call.Err(), context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%w (the client's timeout of %v, WithTimeout, expired)", err, d)
}
