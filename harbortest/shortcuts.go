package harbortest

import (
	"cmp"
	"encoding/json"
	"fmt"
)

// systemReply answers v to a caller with the system permission resource:action.
func (s *Server) systemReply(r *request, resource, action string, v any) (answer, *apiError) {
	return replyOr(v, s.requireSystem(r.id, resource, action))
}

// setIf stores *v in dst when a request gave it (v not nil).
func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// replyOr answers v, or e when looking v up failed: return replyOr(s.instanceAt(r, "read")).
func replyOr[T any](v T, e *apiError) (answer, *apiError) {
	return replyWith(v, e, func(v T) T { return v })
}

// replyWith answers toJSON(v), or e when looking v up failed.
func replyWith[T, J any](v T, e *apiError, toJSON func(T) J) (answer, *apiError) {
	if e != nil {
		return answer{}, e
	}
	return reply(toJSON(v))
}

// lazy returns *p, made by mk on first use. Callers hold s.mu.
func lazy[T any](p **T, mk func() *T) *T {
	if *p == nil {
		*p = mk()
	}
	return *p
}

// systemItem resolves the int64 path parameter param in m for a caller with
// the system permission resource:action; notFound formats the 404 with the id.
func systemItem[T any](s *Server, r *request, param, resource, action string, m map[int64]*T, notFound string) (*T, *apiError) {
	id, e := pathID(r, param)
	if e = cmp.Or(e, s.requireSystem(r.id, resource, action)); e != nil {
		return nil, e
	}
	if v := m[id]; v != nil {
		return v, nil
	}
	return nil, errNotFound(fmt.Sprintf(notFound, id))
}

// newID returns *next and advances it, as an id column does: rule.ID = newID(&is.nextID).
func newID(next *int64) int64 {
	*next++
	return *next - 1
}

// refuseIf panics with "harbortest: " and the message when bad, naming a helper's bad argument.
func refuseIf(bad bool, format string, args ...any) {
	if bad {
		panic(fmt.Sprintf("harbortest: "+format, args...))
	}
}

// mustJSON decodes s, one of harbortest's JSON constants, into a T.
func mustJSON[T any](s string) T {
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		panic(err)
	}
	return v
}
