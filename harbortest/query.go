package harbortest

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Harbor's query language, as src/lib/q parses the q and sort parameters of
// every list operation:
//
//	q=k=v              exact match
//	q=k=~v             fuzzy match (substring)
//	q=k=[min~max]      range, either bound may be empty
//	q=k={v1 v2}        union: any of the values
//	q=k=(v1 v2)        intersection: all of the values (multi-valued fields)
//	q=k1=v1,k2=~v2     several terms, all must match
//	sort=k1,-k2        ascending, "-" descending
//
// q is unescaped once more after the query string was decoded, so clients
// that encode it twice (harbor-cli: q=Level%253Dproject%252CProjectID%253D6)
// filter like the others. Keys a list does not know are ignored, like
// Harbor's ORM does; so are unknown sort keys.

// qKind is the kind of one term of q.
type qKind int

const (
	qExact qKind = iota
	qFuzzy
	qRange
	qUnion
	qIntersection
)

// qTerm is one k=v term of q.
type qTerm struct {
	kind     qKind
	value    string   // qExact, qFuzzy
	min, max string   // qRange; "" is an open bound
	list     []string // qUnion, qIntersection
}

// qSort is one key of the sort parameter.
type qSort struct {
	key  string
	desc bool
}

// query is a parsed q and sort.
type query struct {
	terms map[string]qTerm // by key as sent
	sorts []qSort
}

// errQueryString is Harbor's answer to a term without "=" or with an empty
// key or value (q=garbage, q=name=).
func errQueryString() *apiError {
	return errBadRequest(`the query string must contain "=" and the key/value cannot be empty`)
}

// parseQuery reads q and sort from r.
func parseQuery(r *request) (*query, *apiError) {
	v := r.URL.Query()
	terms, e := parseTerms(v.Get("q"))
	if e != nil {
		return nil, e
	}
	return &query{terms: terms, sorts: parseSort(v.Get("sort"))}, nil
}

// parseTerms parses the q parameter (already decoded once from the URL).
func parseTerms(q string) (map[string]qTerm, *apiError) {
	terms := map[string]qTerm{}
	if q == "" {
		return terms, nil
	}
	// Harbor unescapes q once more (url.QueryUnescape in src/lib/q's
	// parseKeywords), so q encoded twice works, and a "+" that reached it
	// reads as a space: "name=proj+ci" looks for "proj ci".
	if u, err := url.QueryUnescape(q); err == nil {
		q = u
	}
	for _, part := range strings.Split(q, ",") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || k == "" || v == "" {
			return nil, errQueryString()
		}
		t, ok := parseTerm(v)
		if !ok {
			return nil, errBadRequest("invalid query string value: " + v)
		}
		terms[k] = t
	}
	return terms, nil
}

func parseTerm(v string) (qTerm, bool) {
	switch {
	case strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]"):
		lo, hi, ok := strings.Cut(v[1:len(v)-1], "~")
		lo, hi = strings.TrimSpace(lo), strings.TrimSpace(hi)
		if !ok || (lo == "" && hi == "") {
			return qTerm{}, false
		}
		return qTerm{kind: qRange, min: lo, max: hi}, true
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

// parseSort parses "k1,-k2".
func parseSort(s string) []qSort {
	var out []qSort
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		if k == "" {
			continue
		}
		if d, ok := strings.CutPrefix(k, "-"); ok {
			out = append(out, qSort{key: d, desc: true})
		} else {
			out = append(out, qSort{key: k})
		}
	}
	return out
}

// term returns the term for key, matching it the way Harbor's ORM maps keys
// to columns: case-insensitively and with "ProjectID" the same as
// "project_id".
func (q *query) term(key string) (qTerm, bool) {
	if len(q.terms) == 0 {
		return qTerm{}, false // the usual list without q: no work per item
	}
	want := normKey(key)
	for k, t := range q.terms {
		if normKey(k) == want {
			return t, true
		}
	}
	return qTerm{}, false
}

// normKey lower-cases a key and drops underscores.
func normKey(k string) string { return strings.ReplaceAll(strings.ToLower(k), "_", "") }

// str reports whether the string field key of an item, value s, matches q.
// A key q does not mention matches.
func (q *query) str(key, s string) bool { return q.strs(key, []string{s}) }

// strs is str for a multi-valued field (tags, labels).
func (q *query) strs(key string, ss []string) bool {
	t, ok := q.term(key)
	if !ok {
		return true
	}
	return t.matchStrings(ss)
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
	if !ok {
		return true
	}
	v, err := strconv.ParseBool(t.value)
	return t.kind == qExact && err == nil && v == b
}

// timeLayouts are the time formats a range over a time field accepts.
var timeLayouts = []string{"2006-01-02 15:04:05", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"}

// time is str for a time field: a range with bounds like "2024-01-02
// 15:04:05" (UTC), as Harbor's UI sends them for audit logs.
func (q *query) time(key string, v time.Time) bool {
	t, ok := q.term(key)
	if !ok {
		return true
	}
	if t.kind != qRange {
		return t.matchStrings([]string{harborTime(v)})
	}
	parse := func(s string) (time.Time, bool) {
		for _, l := range timeLayouts {
			if p, err := time.Parse(l, s); err == nil {
				return p, true
			}
		}
		return time.Time{}, false
	}
	if t.min != "" {
		lo, ok := parse(t.min)
		if !ok || v.Before(lo) {
			return false
		}
	}
	if t.max != "" {
		hi, ok := parse(t.max)
		if !ok || v.After(hi) {
			return false
		}
	}
	return true
}

// matchStrings matches a field with the values ss.
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

// sortItems sorts items stably by the sort keys of q that keys knows
// (unknown keys are ignored, like Harbor does); without any it keeps the
// order the caller gave.
func sortItems[T any](items []T, q *query, keys map[string]func(a, b T) int) {
	var cmps []func(a, b T) int
	for _, s := range q.sorts {
		for k, c := range keys {
			if normKey(k) != normKey(s.key) {
				continue
			}
			if s.desc {
				c0 := c
				c = func(a, b T) int { return c0(b, a) }
			}
			cmps = append(cmps, c)
		}
	}
	if len(cmps) == 0 {
		return
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

// byString and byInt build sort comparators from a field accessor.
func byString[T any](f func(T) string) func(a, b T) int {
	return func(a, b T) int { return cmp.Compare(f(a), f(b)) }
}

func byInt[T any](f func(T) int64) func(a, b T) int {
	return func(a, b T) int { return cmp.Compare(f(a), f(b)) }
}

func byTime[T any](f func(T) time.Time) func(a, b T) int {
	return func(a, b T) int { return f(a).Compare(f(b)) }
}
