package harbor

import (
	"context"
	"errors"
)

// checkContext refuses a nil ctx before any work, as
// http.NewRequestWithContext does, naming the method that was given it.
func checkContext(ctx context.Context, method string) error {
	if ctx == nil {
		return errors.New("harbor: " + method + ": ctx is nil (use context.Background() or context.TODO())")
	}
	return nil
}
