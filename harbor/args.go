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

// checkNamed refuses an empty argument before any request, naming it: an
// empty path segment would name another resource. names and values go in
// pairs, in the method's order.
func checkNamed(method string, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			return errors.New("harbor: " + method + ": " + pairs[i] + " is empty")
		}
	}
	return nil
}
