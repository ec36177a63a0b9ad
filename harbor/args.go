package harbor

import (
	"context"
	"errors"
	"strconv"
)

// checkContext refuses a nil ctx before any work, as
// http.NewRequestWithContext does, naming the method that was given it.
func checkContext(ctx context.Context, method string) error {
	if ctx == nil {
		return errors.New("harbor: " + method + ": ctx is nil (use context.Background() or context.TODO())")
	}
	return nil
}

// checkSegments refuses an argument that goes into the URL path as one
// segment and is empty, "." or "..": it would name another resource. names
// and values go in pairs; method, when not "", names the call.
func checkSegments(method string, pairs ...string) error {
	prefix := "harbor: "
	if method != "" {
		prefix += method + ": "
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		switch name, v := pairs[i], pairs[i+1]; v {
		case "":
			return errors.New(prefix + name + " is empty")
		case ".", "..":
			return errors.New(prefix + name + " " + strconv.Quote(v) + " is a dot segment: it would name another path")
		}
	}
	return nil
}
