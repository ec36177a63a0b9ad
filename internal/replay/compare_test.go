package replay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"
)

// jsonDiff compares what Harbor sent (recorded) with what the generated
// result gives back when marshalled again (got). It returns the
// differences that matter: a value that changed, and a spot field (ids,
// names, digests, counts) that was lost. Other fields that were lost, such
// as keys the spec does not declare, are returned in lost, for the record.
// A lost field whose value was empty (null, "", 0, false, [] or {}) is not
// reported: the generated models leave such values out (omitempty).
// compared counts the scalar values that were compared and found equal,
// and how many of them were spot fields.
func jsonDiff(recorded, got []byte) (diffs, lost []string, compared, spots int, err error) {
	var r, g any
	if err := decodeNumbers(recorded, &r); err != nil {
		return nil, nil, 0, 0, fmt.Errorf("recorded body: %w", err)
	}
	if err := decodeNumbers(got, &g); err != nil {
		return nil, nil, 0, 0, fmt.Errorf("re-marshalled result: %w", err)
	}
	c := &comparer{}
	c.compare("$", r, g)
	return c.diffs, c.lost, c.equal, c.spots, nil
}

func decodeNumbers(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

type comparer struct {
	diffs, lost  []string
	equal, spots int
}

func (c *comparer) compare(path string, r, g any) {
	switch rv := r.(type) {
	case map[string]any:
		gv, ok := g.(map[string]any)
		if !ok {
			if g == nil && len(rv) == 0 {
				return
			}
			if g == nil {
				c.lostObject(path, rv)
				return
			}
			c.diffs = append(c.diffs, fmt.Sprintf("%s: object became %s", path, show(g)))
			return
		}
		keys := make([]string, 0, len(rv))
		for k := range rv {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub := path + "." + k
			gsub, ok := gv[k]
			if !ok {
				if !isEmpty(rv[k]) {
					c.lose(sub, k, rv[k])
				}
				continue
			}
			c.compare(sub, rv[k], gsub)
		}
	case []any:
		gv, ok := g.([]any)
		if !ok {
			if g == nil && len(rv) == 0 {
				return
			}
			c.diffs = append(c.diffs, fmt.Sprintf("%s: array of %d became %s", path, len(rv), show(g)))
			return
		}
		if len(gv) != len(rv) {
			c.diffs = append(c.diffs, fmt.Sprintf("%s: array of %d became one of %d", path, len(rv), len(gv)))
			return
		}
		for i := range rv {
			c.compare(fmt.Sprintf("%s[%d]", path, i), rv[i], gv[i])
		}
	case nil:
		if g != nil && !isEmpty(g) {
			c.diffs = append(c.diffs, fmt.Sprintf("%s: null became %s", path, show(g)))
		}
	default:
		if !sameScalar(r, g) {
			c.diffs = append(c.diffs, fmt.Sprintf("%s: %s became %s", path, show(r), show(g)))
			return
		}
		c.equal++
		if isSpotKey(path[strings.LastIndexAny(path, ".")+1:]) {
			c.spots++
		}
	}
}

// lostObject reports every non-empty field of an object that was lost whole.
func (c *comparer) lostObject(path string, obj map[string]any) {
	for k, v := range obj {
		if !isEmpty(v) {
			c.lose(path+"."+k, k, v)
		}
	}
}

func (c *comparer) lose(path, key string, v any) {
	if isSpotKey(key) {
		c.diffs = append(c.diffs, fmt.Sprintf("%s: %s was lost", path, show(v)))
		return
	}
	c.lost = append(c.lost, path)
}

// isSpotKey: the fields a reader of any Harbor answer relies on.
func isSpotKey(k string) bool {
	switch k {
	case "id", "name", "digest", "username", "total", "count", "project_name", "repository_name":
		return true
	}
	return strings.HasSuffix(k, "_id") || strings.HasSuffix(k, "_count") || strings.HasSuffix(k, "_cnt")
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case json.Number:
		f, ok := new(big.Float).SetString(string(x))
		return ok && f.Sign() == 0
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// sameScalar compares two JSON scalars: numbers by value (1 and 1.0),
// strings exactly or, when both are timestamps, by instant
// ("0001-01-01T00:00:00Z" and "0001-01-01T00:00:00.000Z").
func sameScalar(r, g any) bool {
	switch rv := r.(type) {
	case json.Number:
		gv, ok := g.(json.Number)
		if !ok {
			return false
		}
		a, ok1 := new(big.Float).SetString(string(rv))
		b, ok2 := new(big.Float).SetString(string(gv))
		return ok1 && ok2 && a.Cmp(b) == 0
	case string:
		gv, ok := g.(string)
		if !ok {
			return false
		}
		if rv == gv {
			return true
		}
		a, err1 := time.Parse(time.RFC3339Nano, rv)
		b, err2 := time.Parse(time.RFC3339Nano, gv)
		return err1 == nil && err2 == nil && a.Equal(b)
	default:
		return r == g
	}
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 60 {
		return string(b[:57]) + "..."
	}
	return string(b)
}
