package harbortest

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Harbor's query language (src/lib/q): q=k=v exact, k=~v substring, k=[min~max] range (a bound
// may be empty), k={a b} any, k=(a b) all, comma-separated; sort=k1,-k2. Unknown keys are ignored (ORM).

type qKind int

const (
	qExact qKind = iota
	qFuzzy
	qRange
	qUnion
	qIntersection
)

type qTerm struct {
	kind     qKind
	value    string   // qExact, qFuzzy
	min, max string   // qRange; "" is an open bound
	list     []string // qUnion, qIntersection
}

type query struct {
	terms map[string]qTerm // by key as sent
	sorts []string         // "key" or "-key" (descending)
}

func parseQuery(r *request) (*query, *apiError) {
	vals := r.URL.Query()
	q := &query{terms: map[string]qTerm{}, sorts: parseSort(vals.Get("sort"))}
	s := vals.Get("q")
	if s == "" {
		return q, nil
	}
	// Harbor unescapes q once more: q encoded twice (harbor-cli) works; "+" is a space.
	if u, err := url.QueryUnescape(s); err == nil {
		s = u
	}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || k == "" || v == "" {
			return nil, errBadRequest(`the query string must contain "=" and the key/value cannot be empty`)
		}
		t, ok := parseTerm(v)
		if !ok {
			return nil, errBadRequest("invalid query string value: " + v)
		}
		q.terms[k] = t
	}
	return q, nil
}

func parseTerm(v string) (qTerm, bool) {
	switch {
	case strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]"):
		lo, hi, ok := strings.Cut(v[1:len(v)-1], "~")
		lo, hi = strings.TrimSpace(lo), strings.TrimSpace(hi)
		return qTerm{kind: qRange, min: lo, max: hi}, ok && (lo != "" || hi != "")
	case strings.HasPrefix(v, "{") && strings.HasSuffix(v, "}"):
		list := strings.Fields(v[1 : len(v)-1])
		return qTerm{kind: qUnion, list: list}, len(list) > 0
	case strings.HasPrefix(v, "(") && strings.HasSuffix(v, ")"):
		list := strings.Fields(v[1 : len(v)-1])
		return qTerm{kind: qIntersection, list: list}, len(list) > 0
	case strings.HasPrefix(v, "~"):
		return qTerm{kind: qFuzzy, value: v[1:]}, len(v) > 1
	}
	if strings.ContainsAny(v, "[]{}()") {
		return qTerm{}, false
	}
	return qTerm{kind: qExact, value: v}, true
}

func parseSort(s string) []string {
	var out []string
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// term returns the term for key, matched as Harbor's ORM maps keys ("ProjectID" is "project_id").
func (q *query) term(key string) (qTerm, bool) {
	for k, t := range q.terms { // none in the usual list without q: no work per item
		if normKey(k) == normKey(key) {
			return t, true
		}
	}
	return qTerm{}, false
}

func normKey(k string) string { return strings.ReplaceAll(strings.ToLower(k), "_", "") }

// str reports whether q matches the string field key of value s (a key q does not name does).
func (q *query) str(key, s string) bool { return q.strs(key, []string{s}) }

// strs is str for a multi-valued field (tags, labels).
func (q *query) strs(key string, ss []string) bool {
	t, ok := q.term(key)
	return !ok || t.matchStrings(ss)
}

// num is str for an integer field; a range compares numerically.
func (q *query) num(key string, n int64) bool {
	t, ok := q.term(key)
	if !ok {
		return true
	}
	if t.kind == qRange {
		lo, loErr := strconv.ParseInt(t.min, 10, 64)
		hi, hiErr := strconv.ParseInt(t.max, 10, 64)
		return (t.min == "" || (loErr == nil && n >= lo)) && (t.max == "" || (hiErr == nil && n <= hi))
	}
	return t.matchStrings([]string{strconv.FormatInt(n, 10)})
}

// boolean is str for a boolean field ("true", "1", "false", "0").
func (q *query) boolean(key string, b bool) bool {
	t, ok := q.term(key)
	v, err := strconv.ParseBool(t.value)
	return !ok || t.kind == qExact && err == nil && v == b
}

var timeLayouts = []string{"2006-01-02 15:04:05", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"}

// time is str for a time field; range bounds as Harbor's UI sends them ("2024-01-02 15:04:05", UTC).
func (q *query) time(key string, v time.Time) bool {
	t, ok := q.term(key)
	if !ok {
		return true
	}
	if t.kind != qRange {
		return t.matchStrings([]string{harborTime(v)})
	}
	in := func(bound string, sign int) bool {
		for _, l := range timeLayouts {
			if p, err := time.Parse(l, bound); err == nil {
				return v.Compare(p) != sign
			}
		}
		return bound == ""
	}
	return in(t.min, -1) && in(t.max, 1)
}

func (t qTerm) matchStrings(ss []string) bool {
	switch t.kind {
	case qExact:
		return slices.Contains(ss, t.value)
	case qFuzzy:
		return slices.ContainsFunc(ss, func(s string) bool { return strings.Contains(s, t.value) })
	case qUnion:
		return slices.ContainsFunc(t.list, func(v string) bool { return slices.Contains(ss, v) })
	case qIntersection:
		return !slices.ContainsFunc(t.list, func(v string) bool { return !slices.Contains(ss, v) })
	case qRange:
		return slices.ContainsFunc(ss, func(s string) bool {
			return (t.min == "" || s >= t.min) && (t.max == "" || s <= t.max)
		})
	}
	return false
}

// sortItems sorts items stably by the sort keys of q that keys knows.
func sortItems[T any](items []T, q *query, keys map[string]func(a, b T) int) {
	var cmps []func(a, b T) int
	for _, s := range q.sorts {
		key, desc := strings.CutPrefix(s, "-")
		for k, c := range keys {
			switch {
			case normKey(k) != normKey(key):
			case desc:
				cmps = append(cmps, func(a, b T) int { return c(b, a) })
			default:
				cmps = append(cmps, c)
			}
		}
	}
	if len(cmps) == 0 {
		return // the usual list without sort: no work
	}
	slices.SortStableFunc(items, func(a, b T) int {
		for _, c := range cmps {
			if r := c(a, b); r != 0 {
				return r
			}
		}
		return 0
	})
}

// byString, byInt and byTime build sort comparators from a field accessor.
func byString[T any](f func(T) string) func(a, b T) int {
	return func(a, b T) int { return cmp.Compare(f(a), f(b)) }
}

func byInt[T any](f func(T) int64) func(a, b T) int {
	return func(a, b T) int { return cmp.Compare(f(a), f(b)) }
}

func byTime[T any](f func(T) time.Time) func(a, b T) int {
	return func(a, b T) int { return f(a).Compare(f(b)) }
}
