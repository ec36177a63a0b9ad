package harbor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
)

// headerStub serves items 1..n in pages of the size asked (at most maxPer
// when set: a server serving smaller pages than asked), with a Link header
// computed from the truth when link is set, and an X-Total-Count of total
// (none when total < 0).
func headerStub(t *testing.T, n int, link bool, total int64, maxPer int, requests *atomic.Int64) *stub {
	return newStub(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("page_size"))
		if maxPer > 0 {
			size = min(size, maxPer)
		}
		from, to := (page-1)*size+1, min(page*size, n)
		if link && to < n {
			w.Header().Set("Link", fmt.Sprintf(`<%s?page=%d&page_size=%d>; rel="next"`, r.URL.Path, page+1, size))
		}
		if total >= 0 {
			w.Header().Set("X-Total-Count", strconv.FormatInt(total, 10))
		}
		var items []string
		for i := from; i <= to; i++ {
			items = append(items, fmt.Sprintf(`{"project_id":%d}`, i))
		}
		writeJSON(w, 200, "["+strings.Join(items, ",")+"]")
	})
}

// Sequential and concurrent walks return every item, in order, whatever the
// headers say: Link present or absent, X-Total-Count right, absent or too
// big, with or without a short last page. A wrong header costs at most a
// request or two, never items. An X-Total-Count too small (also by exactly
// a page) is passed: the walk yields the items up to it, in order, then an
// error naming the URL, never silently fewer (issue 18 item 6).
func TestAllNeverStopsEarly(t *testing.T) {
	const size = 10
	for _, n := range []int{0, 7, 10, 25, 30, 250} {
		totals := map[string]int64{"absent": -1, "right": int64(n), "half": int64(n / 2),
			"a page short": int64(max(n-size, 0)), "too big": int64(n + 25), "absurd": 1 << 40}
		for _, link := range []bool{true, false} {
			for name, total := range totals {
				t.Run(fmt.Sprintf("n=%d/link=%v/total=%s", n, link, name), func(t *testing.T) {
					var requests atomic.Int64
					s := headerStub(t, n, link, total, 0, &requests)
					c := newStubClient(t, s.URL)
					check := func(ids []int64, err error, how string) {
						if total >= 0 && total < int64(n) {
							require.ErrorIs(t, err, ErrUnexpectedContent, how)
							assert.ErrorContains(t, err, fmt.Sprintf("GET %s/api/v2.0/projects?page=", s.URL), how)
							assert.ErrorContains(t, err, fmt.Sprintf("more than the %d it announced (X-Total-Count)", total), how)
							assert.Equal(t, seq(len(ids)), ids, how)
							assert.LessOrEqual(t, int64(len(ids)), total, how)
							return
						}
						require.NoError(t, err, how)
						assert.Equal(t, seq(n), ids, how)
					}
					ids, err := listers["projects"](t.Context(), c, PageSize(size))
					check(ids, err, "sequential")
					assert.LessOrEqual(t, requests.Load(), int64(n/size+2), "sequential requests")

					requests.Store(0)
					ids, err = listers["projects"](t.Context(), c, PageSize(size), Concurrent(3))
					check(ids, err, "concurrent")
					assert.LessOrEqual(t, requests.Load(), int64(n/size+2+3), "concurrent requests: at most a window more")
				})
			}
		}
	}
}

// The case issue 10 found: X-Total-Count: 250, no Link, pages of 100.
func TestAllWithTotalAndNoLink(t *testing.T) {
	var requests atomic.Int64
	s := headerStub(t, 250, false, 250, 0, &requests)
	c := newStubClient(t, s.URL)
	for _, opts := range [][]ListOption{nil, {Concurrent(4)}} {
		requests.Store(0)
		ids, err := listers["projects"](t.Context(), c, opts...)
		require.NoError(t, err)
		assert.Equal(t, seq(250), ids)
		assert.EqualValues(t, 3, requests.Load())
	}
}

// A server serving fewer items per page than asked is followed as long as
// Link or X-Total-Count says more follow.
func TestAllFollowsSmallerPagesWhenHeadersSayMore(t *testing.T) {
	for _, tc := range []struct {
		link  bool
		total int64
	}{{true, -1}, {false, 23}, {true, 23}} {
		var requests atomic.Int64
		s := headerStub(t, 23, tc.link, tc.total, 5, &requests)
		c := newStubClient(t, s.URL)
		for _, opts := range [][]ListOption{{PageSize(10)}, {PageSize(10), Concurrent(3)}} {
			ids, err := listers["projects"](t.Context(), c, opts...)
			require.NoError(t, err)
			assert.Equal(t, seq(23), ids, "link %v, total %d, %d options", tc.link, tc.total, len(opts))
		}
	}
}

// An operation that ignores the page (answers more than asked) is read once.
func TestAllReadsOnceWhenTheServerDoesNotPaginate(t *testing.T) {
	var requests atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		var items []string
		for i := 1; i <= 15; i++ {
			items = append(items, fmt.Sprintf(`{"project_id":%d}`, i))
		}
		writeJSON(w, 200, "["+strings.Join(items, ",")+"]")
	})
	c := newStubClient(t, s.URL)
	for _, opts := range [][]ListOption{{PageSize(10)}, {PageSize(10), Concurrent(3)}} {
		requests.Store(0)
		ids, err := listers["projects"](t.Context(), c, opts...)
		require.NoError(t, err)
		assert.Equal(t, seq(15), ids)
		assert.EqualValues(t, 1, requests.Load())
	}
}

// All yields the operation's error as it is: no swallowing, no re-wrapping.
func TestAllYieldsTheOperationsError(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, `{"errors":[{"code":"UNAUTHORIZED","message":"unauthorized"}]}`)
	})
	c := newStubClient(t, s.URL)
	var got error
	for _, err := range All(t.Context(), c.API().Project.ListProjects, project.NewListProjectsParams()) {
		got = err
	}
	require.Error(t, got)
	_, direct := c.API().Project.ListProjects(t.Context(), project.NewListProjectsParams().WithPage(ptr(int64(1))).WithPageSize(ptr(int64(100))))
	assert.Equal(t, fmt.Sprintf("%T", direct), fmt.Sprintf("%T", got), "the same error type as the generated call")
	var typed *project.ListProjectsUnauthorized
	assert.True(t, errors.As(got, &typed), "the generated typed error is reachable")

	t.Run("sentinels on the raw error", func(t *testing.T) {
		assert.ErrorIs(t, direct, ErrUnauthorized, "the generated call's own error")
		assert.ErrorIs(t, got, ErrUnauthorized)
		var he *Error
		require.ErrorAs(t, got, &he)
		assert.Equal(t, http.StatusUnauthorized, he.StatusCode)
	})
}

// harborLinkStub serves items 1..n in pages of size with Harbor's headers:
// X-Total-Count, rel="next" on every page but the last and, when prev is
// set, rel="prev" on every page but the first.
func harborLinkStub(t *testing.T, n, size int, prev bool, requests *atomic.Int64) *stub {
	return newStub(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		var links []string
		if prev && page > 1 {
			links = append(links, fmt.Sprintf(`<%s?page=%d&page_size=%d>; rel="prev"`, r.URL.Path, page-1, size))
		}
		if page*size < n {
			links = append(links, fmt.Sprintf(`<%s?page=%d&page_size=%d>; rel="next"`, r.URL.Path, page+1, size))
		}
		if len(links) > 0 {
			w.Header().Set("Link", strings.Join(links, " , "))
		}
		w.Header().Set("X-Total-Count", strconv.Itoa(n))
		var items []string
		for i := (page-1)*size + 1; i <= min(page*size, n); i++ {
			items = append(items, fmt.Sprintf(`{"project_id":%d}`, i))
		}
		writeJSON(w, 200, "["+strings.Join(items, ",")+"]")
	})
}

// Harbor writes rel="prev" on the last page (and rel="next" on every other):
// a listing whose size is an exact multiple of the page size then ends on
// its last full page, without a request for an empty page. Without any Link
// header, the same listing costs that one extra request (never items).
func TestAllHarborLinkEndsOnTheLastFullPage(t *testing.T) {
	const n, size = 30, 10
	for _, tc := range []struct {
		name     string
		prev     bool // write rel="prev" links, as Harbor does
		requests int64
	}{
		{"harbor links", true, n / size},
		{"no link on the last page", false, n/size + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var requests atomic.Int64
			s := harborLinkStub(t, n, size, tc.prev, &requests)
			c := newStubClient(t, s.URL)
			ids, err := listers["projects"](t.Context(), c, PageSize(size))
			require.NoError(t, err)
			assert.Equal(t, seq(n), ids)
			assert.Equal(t, tc.requests, requests.Load())
		})
	}
}

// The page headers reach All through the Client that sent the page, with
// the context All gave the op: with Harbor's Link, 25 items in pages of 5
// take 5 requests; the same listing through an op that calls the Client
// with another context (so no header reaches All) still yields every item,
// at the cost of a sixth request for an empty page.
func TestAllReadsPageHeadersThroughTheClient(t *testing.T) {
	var requests atomic.Int64
	s := harborLinkStub(t, 25, 5, true, &requests)
	c := newStubClient(t, s.URL)
	ops := map[string]func(context.Context, *project.ListProjectsParams) (*project.ListProjectsOK, error){
		"the generated op": func(ctx context.Context, p *project.ListProjectsParams) (*project.ListProjectsOK, error) {
			return c.API().Project.ListProjects(ctx, p)
		},
		"an op that drops the headers": func(_ context.Context, p *project.ListProjectsParams) (*project.ListProjectsOK, error) {
			res, err := c.API().Project.ListProjects(t.Context(), p) // not All's context: no headers reach All
			if err != nil {
				return nil, err
			}
			return &project.ListProjectsOK{Payload: res.Payload}, nil
		},
	}
	want := map[string]int64{"the generated op": 5, "an op that drops the headers": 6}
	for name, op := range ops {
		requests.Store(0)
		var ids []int32
		for p, err := range All(t.Context(), op, project.NewListProjectsParams(), PageSize(5)) {
			require.NoError(t, err)
			ids = append(ids, p.ProjectID)
		}
		assert.Len(t, ids, 25, name)
		assert.Equal(t, want[name], requests.Load(), name)
	}
}
