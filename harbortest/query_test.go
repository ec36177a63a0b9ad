package harbortest

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"
)

func TestParseTerms(t *testing.T) {
	cases := []struct {
		q    string
		want map[string]qTerm
		err  string
	}{
		{q: "", want: map[string]qTerm{}},
		{q: "name=app", want: map[string]qTerm{"name": {kind: qExact, value: "app"}}},
		{q: "name=~app", want: map[string]qTerm{"name": {kind: qFuzzy, value: "app"}}},
		{q: "size=[10~20]", want: map[string]qTerm{"size": {kind: qRange, min: "10", max: "20"}}},
		{q: "size=[~20]", want: map[string]qTerm{"size": {kind: qRange, max: "20"}}},
		{q: "tags={a b}", want: map[string]qTerm{"tags": {kind: qUnion, list: []string{"a", "b"}}}},
		{q: "labels=(1 2)", want: map[string]qTerm{"labels": {kind: qIntersection, list: []string{"1", "2"}}}},
		{q: "Level=project,ProjectID=6", want: map[string]qTerm{
			"Level": {kind: qExact, value: "project"}, "ProjectID": {kind: qExact, value: "6"}}},
		// harbor-cli encodes q twice; the handler sees it decoded once
		{q: "Level%3Dproject%2CProjectID%3D6", want: map[string]qTerm{
			"Level": {kind: qExact, value: "project"}, "ProjectID": {kind: qExact, value: "6"}}},
		// Harbor's second unescape is url.QueryUnescape: "+" reads as a
		// space, "%2B" as "+" (src/lib/q/builder.go, parseKeywords)
		{q: "name=proj+ci", want: map[string]qTerm{"name": {kind: qExact, value: "proj ci"}}},
		{q: "name=proj%2Bci", want: map[string]qTerm{"name": {kind: qExact, value: "proj+ci"}}},
		{q: "name=100%", want: map[string]qTerm{"name": {kind: qExact, value: "100%"}}}, // a bad escape: q as it came
		{q: "digest=sha256:abc", want: map[string]qTerm{"digest": {kind: qExact, value: "sha256:abc"}}},
		{q: "garbage", err: `the query string must contain "=" and the key/value cannot be empty`},
		{q: "name=", err: `the query string must contain "=" and the key/value cannot be empty`},
		{q: "=x", err: `the query string must contain "=" and the key/value cannot be empty`},
		{q: "name=a,", err: `the query string must contain "=" and the key/value cannot be empty`},
		{q: "name=(a", err: "invalid query string value: (a"},
		{q: "name=~", err: "invalid query string value: ~"},
		{q: "size=[1 2]", err: "invalid query string value: [1 2]"},
		{q: "size=[~]", err: "invalid query string value: [~]"},
		{q: "tags={}", err: "invalid query string value: {}"},
	}
	for _, c := range cases {
		r, _ := http.NewRequest("GET", "http://h/x?q="+url.QueryEscape(c.q), nil)
		qq, e := parseQuery(&request{Request: r})
		if c.err != "" {
			if e == nil || e.message != c.err || e.status != http.StatusBadRequest {
				t.Errorf("q=%q: error %v, want 400 %q", c.q, e, c.err)
			}
			continue
		}
		if e != nil {
			t.Errorf("q=%q: unexpected error %v", c.q, e)
			continue
		}
		got := qq.terms
		if len(got) != len(c.want) {
			t.Errorf("q=%q: got %v, want %v", c.q, got, c.want)
		}
		for k, w := range c.want {
			g := got[k]
			if g.kind != w.kind || g.value != w.value || g.min != w.min || g.max != w.max || !slices.Equal(g.list, w.list) {
				t.Errorf("q=%q: %s = %+v, want %+v", c.q, k, g, w)
			}
		}
	}
}

func TestQueryMatch(t *testing.T) {
	mk := func(q string) *query {
		r, _ := http.NewRequest("GET", "http://h/x?q="+url.QueryEscape(q), nil)
		qq, e := parseQuery(&request{Request: r})
		if e != nil {
			t.Fatalf("q=%q: %v", q, e)
		}
		return qq
	}
	day := time.Date(2024, 5, 6, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		ok   bool
		got  bool
	}{
		{"exact", true, mk("name=app").str("name", "app")},
		{"exact miss", false, mk("name=app").str("name", "apps")},
		{"fuzzy", true, mk("name=~pp").str("name", "app")},
		{"fuzzy miss", false, mk("name=~x").str("name", "app")},
		{"absent key matches", true, mk("other=1").str("name", "app")},
		{"key case and underscores", true, mk("ProjectID=6").num("project_id", 6)},
		{"union", true, mk("name={a b}").str("name", "b")},
		{"union miss", false, mk("name={a b}").str("name", "c")},
		{"intersection", true, mk("labels=(1 2)").strs("labels", []string{"2", "1", "3"})},
		{"intersection miss", false, mk("labels=(1 2)").strs("labels", []string{"1"})},
		{"range numeric", true, mk("size=[9~100]").num("size", 10)},
		{"range numeric low", false, mk("size=[11~100]").num("size", 10)},
		{"range open max", true, mk("size=[5~]").num("size", 1000)},
		{"bool", true, mk("public=true").boolean("public", true)},
		{"bool miss", false, mk("public=false").boolean("public", true)},
		{"time range", true, mk("op_time=[2024-05-06 00:00:00~2024-05-07 00:00:00]").time("op_time", day)},
		{"time range miss", false, mk("op_time=[2024-05-07 00:00:00~]").time("op_time", day)},
	}
	for _, c := range cases {
		if c.got != c.ok {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.ok)
		}
	}
}

func TestSortItems(t *testing.T) {
	type it struct {
		name string
		n    int64
	}
	keys := map[string]func(a, b it) int{
		"name": byString(func(i it) string { return i.name }),
		"n":    byInt(func(i it) int64 { return i.n }),
	}
	names := func(items []it) []string {
		var out []string
		for _, i := range items {
			out = append(out, i.name)
		}
		return out
	}
	base := []it{{"b", 1}, {"a", 2}, {"c", 2}}
	for _, c := range []struct {
		sort string
		want []string
	}{
		{"", []string{"b", "a", "c"}},
		{"name", []string{"a", "b", "c"}},
		{"-name", []string{"c", "b", "a"}},
		{"-n,name", []string{"a", "c", "b"}},
		{"nosuchfield", []string{"b", "a", "c"}},
	} {
		items := slices.Clone(base)
		sortItems(items, &query{sorts: parseSort(c.sort)}, keys)
		if got := names(items); !slices.Equal(got, c.want) {
			t.Errorf("sort=%q: %v, want %v", c.sort, got, c.want)
		}
	}
}
