package harbortest

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"
)

func TestParseCron(t *testing.T) {
	from := time.Date(2026, 11, 30, 3, 57, 0, 0, time.UTC)
	cases := []struct {
		spec, next, err string
	}{
		{spec: "0 0 5 * * *", next: "2026-11-30T05:00:00Z"},                             // b272
		{spec: "0 0 3 * * *", next: "2026-12-01T03:00:00Z"},                             // b396
		{spec: "0 0 2 * * 0", next: "2026-12-06T02:00:00Z"},                             // b411: Sunday
		{spec: "*/15 * * * * *", next: "2026-11-30T03:57:15Z"},                          // steps
		{spec: "0 30 1-2,4 * * ?", next: "2026-11-30T04:30:00Z"},                        // lists, ranges, ?
		{spec: "0 0 0 29 2 *", next: "2028-02-29T00:00:00Z"},                            // leap day
		{spec: "", err: "empty cron string is invalid"},                                 // b399
		{spec: "every night", err: "expected exactly 6 fields, found 2: [every night]"}, // b397
		{spec: "0 0 25 * * *", err: "end of range (25) above maximum (23): 25"},
		{spec: "0 0 x * * *", err: "failed to parse int from x"},
	}
	for _, c := range cases {
		spec, err := parseCron(c.spec)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%q: error %v, want %q", c.spec, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.spec, err)
			continue
		}
		if got := spec.next(from).Format(time.RFC3339); got != c.next {
			t.Errorf("%q: next %s, want %s", c.spec, got, c.next)
		}
	}
}

func TestTagImmutable(t *testing.T) {
	s := NewServer()
	defer s.Close()
	s.AddProject("capart1", false)
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.state.projectByName["capart1"]
	is := s.state.immutableState()
	var rule tagRuleJSON
	if err := json.Unmarshal([]byte(`{"action":"immutable","tag_selectors":[{"kind":"doublestar","decoration":"matches","pattern":"1.0*"}],"scope_selectors":{"repository":[{"kind":"doublestar","decoration":"repoMatches","pattern":"team/**"}]}}`), &rule); err != nil {
		t.Fatal(err)
	}
	is.byProject[p.id] = []*tagRuleJSON{&rule, {ID: 9}} // the second, from an empty body, selects nothing
	cases := []struct {
		repo, tag string
		want      bool
	}{
		{"team/app", "1.0", true}, {"team/app", "1.0.1", true}, {"team/app", "1.0-rc2", true},
		{"team/app", "latest", false}, {"multi", "1.0", false}, {"team/sub/app", "1.0", true},
	}
	for _, c := range cases {
		if got := s.tagImmutable(p, c.repo, c.tag); got != c.want {
			t.Errorf("%s:%s immutable=%v, want %v", c.repo, c.tag, got, c.want)
		}
	}
	rule.Disabled = true
	if s.tagImmutable(p, "team/app", "1.0") {
		t.Error("a disabled rule still applies")
	}
	excl := tagRuleJSON{TagSelectors: []selectorJSON{{Decoration: "excludes", Pattern: "latest"}},
		ScopeSelectors: map[string][]selectorJSON{"repository": {{Decoration: "repoExcludes", Pattern: "multi"}}}}
	is.byProject[p.id] = []*tagRuleJSON{&excl}
	if !s.tagImmutable(p, "web", "v1") || s.tagImmutable(p, "web", "latest") || s.tagImmutable(p, "multi", "v1") {
		t.Error("excludes decorations are not applied")
	}
}

// A handler that panics (a bug) leaves the server's lock released: the
// next request is answered.
func TestAdapterPanicReleasesLock(t *testing.T) {
	s := NewServer()
	defer s.Close()
	h := s.adapt(func(*request) (answer, *apiError) { panic("handler bug") })
	func() {
		defer func() { _ = recover() }()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/v2.0/x", nil))
	}()
	if !s.mu.TryLock() {
		t.Fatal("the lock is still held after a handler panicked")
	}
	s.mu.Unlock()
}
