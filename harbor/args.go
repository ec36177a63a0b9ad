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

// checkSegments refuses, before any request, an argument that goes into
// the URL path as one segment and is empty, "." or "..": sent as is (the
// runtime escapes none of them), it would name another resource, or reach
// one through a proxy or router that cleans the path. No project,
// repository, tag, digest or addition is named so. names and values go in
// pairs, in the method's order; method, when not "", names the call.
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
