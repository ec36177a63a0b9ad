package harbortest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Harbor's API server (go-swagger) binds an operation's parameters before
// its handler runs: a malformed body, page or page_size is 400 or 422 before
// any permission check. The decorators below do the same for harbortest.

// withPage makes the handler of a list operation: page and page_size are
// bound before h runs (parsePage).
func withPage(h func(*request, pageParams) (answer, *apiError)) handler {
	return func(r *request) (answer, *apiError) {
		pp, e := parsePage(r)
		if e != nil {
			return answer{}, e
		}
		return h(r, pp)
	}
}

// withList is withPage for an operation that also takes q and sort; a bad
// page is refused before a bad q, as in Harbor.
func withList(h func(*request, pageParams, *query) (answer, *apiError)) handler {
	return withPage(func(r *request, pp pageParams) (answer, *apiError) {
		q, e := parseQuery(r)
		if e != nil {
			return answer{}, e
		}
		return h(r, pp, q)
	})
}

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

// withOptionalBody is withBody for a body swagger.yaml does not require: h
// gets nil for an empty one, as go-swagger passes it.
func withOptionalBody[T any](what string, h func(*request, *T) (answer, *apiError)) handler {
	bound := withBody(what, h)
	return func(r *request) (answer, *apiError) {
		data, _ := io.ReadAll(r.Body) // in memory: the adapter has read it
		if len(bytes.TrimSpace(data)) == 0 {
			return h(r, nil)
		}
		r.Body = io.NopCloser(bytes.NewReader(data))
		return bound(r)
	}
}

// system makes h a handler for callers with the system permission
// resource:action, checked first as Harbor's handlers do (requireSystem).
func (s *Server) system(resource, action string, h handler) handler {
	return func(r *request) (answer, *apiError) {
		if e := s.requireSystem(r.id, resource, action); e != nil {
			return answer{}, e
		}
		return h(r)
	}
}

// sys is system for a handler of a bound body or page: the binding
// decorator wrapping it still refuses a malformed one before access.
func sys[A any](s *Server, resource, action string,
	h func(*request, A) (answer, *apiError)) func(*request, A) (answer, *apiError) {
	return func(r *request, a A) (answer, *apiError) {
		if e := s.requireSystem(r.id, resource, action); e != nil {
			return answer{}, e
		}
		return h(r, a)
	}
}

// signedIn makes h a handler for any authenticated caller (401 else).
func signedIn(h handler) handler {
	return func(r *request) (answer, *apiError) {
		if !r.id.authenticated() {
			return answer{}, errUnauthorized()
		}
		return h(r)
	}
}

// inProject makes h a handler of the project {project_name_or_id} for
// callers with the project permission resource:action (projectFromPath).
func (s *Server) inProject(resource, action string, h func(*request, *project) (answer, *apiError)) handler {
	return func(r *request) (answer, *apiError) {
		p, e := s.projectFromPath(r, r.id, resource, action)
		if e != nil {
			return answer{}, e
		}
		return h(r, p)
	}
}

// proj is inProject for a handler of a bound body or page, as sys is.
func proj[A any](s *Server, resource, action string,
	h func(*request, *project, A) (answer, *apiError)) func(*request, A) (answer, *apiError) {
	return func(r *request, a A) (answer, *apiError) {
		p, e := s.projectFromPath(r, r.id, resource, action)
		if e != nil {
			return answer{}, e
		}
		return h(r, p, a)
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
