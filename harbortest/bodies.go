package harbortest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// withBody makes the handler of an operation with a JSON body: the body is
// decoded into a new T (what names it in go-swagger's 422 messages) before
// h runs, so a malformed body is refused before any other check, as in Harbor.
// A body type that is an alias of an unnamed struct keeps the 422 message of
// a wrongly typed field free of a Go type name ("Go struct field .name").
func withBody[T any](what string, h func(*request, *T) (answer, *apiError)) handler {
	return func(r *request) (answer, *apiError) {
		var body T
		if e := decodeBody(r, &body, what); e != nil {
			return answer{}, e
		}
		return h(r, &body)
	}
}

// decodeBody decodes a JSON request body with go-swagger's 422 messages.
// A body that is not JSON by its Content-Type is refused first, as
// go-swagger's consumer negotiation does (b447).
func decodeBody(r *request, v any, what string) *apiError {
	ct := r.Header.Get("Content-Type")
	if mt, _, _ := strings.Cut(ct, ";"); ct != "" && strings.TrimSpace(mt) != "application/json" {
		return errUnprocessable(fmt.Sprintf("unsupported media type %q, only [application/json] are allowed", ct))
	}
	err := json.NewDecoder(r.Body).Decode(v)
	if errors.Is(err, io.EOF) {
		return errUnprocessable(what + " in body is required")
	}
	if err != nil {
		return errUnprocessable(fmt.Sprintf("parsing %s body from \"\" failed, because %v", what, err))
	}
	return nil
}
