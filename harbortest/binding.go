package harbortest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Harbor (go-swagger) binds parameters before the handler runs: a malformed body, page or
// page_size is 400 or 422 before any permission check. The with* decorators do the same.

// withPage binds page and page_size (parsePage) before h runs.
func withPage(h func(*request, pageParams) (answer, *apiError)) handler {
	return func(r *request) (answer, *apiError) {
		pp, e := parsePage(r)
		if e != nil {
			return answer{}, e
		}
		return h(r, pp)
	}
}

// withList is withPage also binding q and sort; a bad page is refused first, as in Harbor.
func withList(h func(*request, pageParams, *query) (answer, *apiError)) handler {
	return withPage(func(r *request, pp pageParams) (answer, *apiError) {
		q, e := parseQuery(r)
		if e != nil {
			return answer{}, e
		}
		return h(r, pp, q)
	})
}

// withBody decodes the JSON body into a new T before h runs; what names it in go-swagger's 422s
// (swagger.yaml's name as a Go name, first letter lower: "sysadminFlag"). A T aliasing an unnamed
// struct keeps Go type names out of a 422 for a wrongly typed field ("Go struct field .name").
func withBody[T any](what string, h func(*request, *T) (answer, *apiError)) handler {
	return func(r *request) (answer, *apiError) {
		var body T
		if e := decodeBody(r, &body, what); e != nil {
			return answer{}, e
		}
		return h(r, &body)
	}
}

// withOptionalBody is withBody for an optional body: h gets nil for an empty one.
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

// system makes h a handler for callers with the system permission resource:action.
func (s *Server) system(resource, action string, h handler) handler {
	return func(r *request) (answer, *apiError) {
		if e := s.requireSystem(r.id, resource, action); e != nil {
			return answer{}, e
		}
		return h(r)
	}
}

// sys is system inside a binding decorator, which refuses a malformed body or page first.
func sys[A any](s *Server, resource, action string,
	h func(*request, A) (answer, *apiError)) func(*request, A) (answer, *apiError) {
	return func(r *request, a A) (answer, *apiError) {
		return s.system(resource, action, func(r *request) (answer, *apiError) { return h(r, a) })(r)
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

// inProject makes h a handler of {project_name_or_id} for callers with its permission resource:action.
func (s *Server) inProject(resource, action string, h func(*request, *project) (answer, *apiError)) handler {
	return at(s.projectOf(resource), action, h)
}

// proj is inProject for a handler of a bound body or page, as sys is.
func proj[A any](s *Server, resource, action string,
	h func(*request, *project, A) (answer, *apiError)) func(*request, A) (answer, *apiError) {
	return atArg(s.projectOf(resource), action, h)
}

// projectOf is the lookup of {project_name_or_id} for resource that at and atArg take.
func (s *Server) projectOf(resource string) func(*request, string) (*project, *apiError) {
	return func(r *request, action string) (*project, *apiError) {
		return s.projectFromPath(r, r.id, resource, action)
	}
}

// decodeBody decodes a JSON body with go-swagger's 422 messages; a body not
// JSON by its Content-Type is refused first, as go-swagger does (b447).
func decodeBody(r *request, v any, what string) *apiError {
	ct := r.Header.Get("Content-Type")
	if mt, _, _ := strings.Cut(ct, ";"); ct != "" && strings.TrimSpace(mt) != "application/json" {
		return errUnprocessable(fmt.Sprintf("unsupported media type %q, only [application/json] are allowed", ct))
	}
	switch err := json.NewDecoder(r.Body).Decode(v); {
	case errors.Is(err, io.EOF):
		return errUnprocessable(what + " in body is required")
	case err != nil:
		return errUnprocessable(fmt.Sprintf("parsing %s body from \"\" failed, because %v", what, err))
	}
	if m, ok := v.(interface{ validate() *apiError }); ok {
		return m.validate() // go-swagger validates the model as it binds it
	}
	return nil
}

// pathID reads an int64 path parameter with go-swagger's validation message.
func pathID(r *request, name string) (int64, *apiError) {
	return parseInt64(name, "path", pathParam(r, name))
}

// queryInt reads an optional int64 query parameter (0 if absent).
func queryInt(r *request, name string) (int64, *apiError) {
	if v := r.URL.Query().Get(name); v != "" {
		return parseInt64(name, "query", v)
	}
	return 0, nil
}

// parseInt64 reads v, the int64 parameter name in "path" or "query".
func parseInt64(name, in, v string) (int64, *apiError) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, errUnprocessable(fmt.Sprintf("%s in %s must be of type int64: %q", name, in, v))
	}
	return n, nil
}

// swaggerBool reads a query boolean as go-swagger's swag.ConvertBool: absent is def, unknown false.
func swaggerBool(v string, def bool) bool {
	if v == "" {
		return def
	}
	return slices.Contains([]string{"true", "1", "yes", "ok", "y", "on", "selected", "checked", "t", "enabled"},
		strings.ToLower(v))
}
