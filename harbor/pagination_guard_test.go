package harbor

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ignoringStub ignores page=: every answer is items 1..size of the page size
// asked (in another order on every answer when rotate is set), with X-Total-Count total (none when
// total < 0) and, when next is set, a Link rel="next" on every page. After
// 40 requests it answers 400, so that a walk without the guard ends too.
func ignoringStub(t *testing.T, total int64, next, rotate bool, requests *atomic.Int64) *stub {
	return newStub(t, func(w http.ResponseWriter, r *http.Request) {
		n := requests.Add(1)
		if n > 40 {
			writeJSON(w, 400, `{"errors":[{"code":"BAD_REQUEST","message":"enough"}]}`)
			return
		}
		size, _ := strconv.Atoi(r.URL.Query().Get("page_size"))
		if next {
			w.Header().Set("Link", fmt.Sprintf(`<%s?page=2&page_size=%d>; rel="next"`, r.URL.Path, size))
		}
		if total >= 0 {
			w.Header().Set("X-Total-Count", strconv.FormatInt(total, 10))
		}
		items := make([]string, size)
		for i := range items {
			items[i] = fmt.Sprintf(`{"project_id":%d,"id":%d,"digest":"sha256:%064d"}`, i+1, i+1, i+1)
		}
		if rotate { // a different order on every answer
			k := int(n) % size
			items = append(items[k:], items[:k]...)
		}
		writeJSON(w, 200, "["+strings.Join(items, ",")+"]")
	})
}

// A server that ignores page= ends the walk, sequential or concurrent, with
// an error naming the URL: the page that repeats the one before, or the
// page that passes the announced X-Total-Count, yields none of its items
// (issue 18 item 6).
func TestAllEndsOnAServerThatDoesNotPage(t *testing.T) {
	for _, tc := range []struct {
		name         string
		total        int64
		next, rotate bool
		want         string
		maxItems     int
	}{
		{"no headers", -1, false, false, "page 2 repeats page 1", 10},
		{"Link next on every page", -1, true, false, "page 2 repeats page 1", 10},
		{"X-Total-Count of the real listing", 1000, true, false, "page 2 repeats page 1", 10},
		{"X-Total-Count of the page", 10, false, false, "20 items by page 2, more than the 10 it announced", 10},
		{"another order on every page", 25, true, true, "30 items by page 3, more than the 25 it announced", 20},
	} {
		for _, opts := range [][]ListOption{{PageSize(10)}, {PageSize(10), Concurrency(3)}} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, len(opts)), func(t *testing.T) {
				var requests atomic.Int64
				s := ignoringStub(t, tc.total, tc.next, tc.rotate, &requests)
				c := newStubClient(t, s.URL)
				for name, list := range listers {
					requests.Store(0)
					ids, err := list(t.Context(), c, opts...)
					require.ErrorIs(t, err, ErrUnexpectedContent, name)
					assert.ErrorContains(t, err, "harbor: All: GET "+s.URL+"/api/v2.0/", name)
					assert.ErrorContains(t, err, tc.want, name)
					assert.ErrorContains(t, err, "the server does not page", name)
					assert.Len(t, ids, tc.maxItems, name)
					assert.LessOrEqual(t, requests.Load(), int64(tc.maxItems/10+1+6), name) // a concurrent window or two ahead, not the 40 of an endless walk
				}
			})
		}
	}
}

// WalkArtifacts over a Harbor whose artifact listing ignores page= yields
// the first page once, then the repository's error naming the URL, and
// ends; so does a projects listing that ignores it.
func TestWalkArtifactsEndsOnAServerThatDoesNotPage(t *testing.T) {
	var requests atomic.Int64
	pages := ignoringStub(t, -1, false, false, &requests)
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v2.0/projects":
			writeJSON(w, 200, `[{"project_id":1,"name":"p"}]`)
		case "/api/v2.0/projects/p/repositories":
			writeJSON(w, 200, `[{"id":1,"name":"p/app"}]`)
		default:
			pages.Config.Handler.ServeHTTP(w, r)
		}
	})
	for _, workers := range []int{1, 4} {
		for _, opts := range []*WalkOptions{{Concurrency: workers}, {Concurrency: workers, Repositories: []string{"p/app"}}} {
			requests.Store(0)
			c := newStubClient(t, s.URL)
			n := 0
			var errs []error
			for a, err := range c.WalkArtifacts(t.Context(), opts) {
				if err != nil {
					errs = append(errs, err)
					assert.Equal(t, "app", a.Repository)
					continue
				}
				n++
			}
			assert.Equal(t, 100, n, "workers %d", workers)
			require.Len(t, errs, 1, "workers %d", workers)
			assert.ErrorIs(t, errs[0], ErrUnexpectedContent)
			assert.ErrorContains(t, errs[0], "GET "+s.URL+"/api/v2.0/projects/p/repositories/app/artifacts?page=2&page_size=100")
			assert.ErrorContains(t, errs[0], "page 2 repeats page 1")
			assert.EqualValues(t, 2, requests.Load())
		}
	}
	requests.Store(0)
	projects := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v2.0/projects" {
			writeJSON(w, 200, "[]")
			return
		}
		if requests.Add(1) > 40 {
			writeJSON(w, 400, `{"errors":[{"code":"BAD_REQUEST","message":"enough"}]}`)
			return
		}
		items := make([]string, 100)
		for i := range items {
			items[i] = fmt.Sprintf(`{"project_id":%d,"name":"p%d"}`, i+1, i+1)
		}
		writeJSON(w, 200, "["+strings.Join(items, ",")+"]")
	})
	c := newStubClient(t, projects.URL)
	var errs []error
	for _, err := range c.WalkArtifacts(t.Context(), &WalkOptions{Concurrency: 2}) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], "harbor: WalkArtifacts: listing projects: harbor: All: GET "+projects.URL+"/api/v2.0/projects?page=2&page_size=100: page 2 repeats page 1")
}
