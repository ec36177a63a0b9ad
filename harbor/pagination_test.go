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
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/artifact"
	"github.com/harborkit/harbor-sdk-go/gen/client/auditlog"
	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/repository"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// pagedStub serves total items on every path the way Harbor paginates:
// X-Total-Count and a Link header with relative URLs and " , " between links.
type pagedStub struct {
	*stub
	requests atomic.Int64
	maxPage  atomic.Int64
	delay    time.Duration
}

func newPagedStub(t *testing.T, total int) *pagedStub {
	ps := &pagedStub{}
	ps.stub = newStub(t, func(w http.ResponseWriter, r *http.Request) {
		ps.requests.Add(1)
		if ps.delay > 0 {
			time.Sleep(ps.delay)
		}
		q := r.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		size, _ := strconv.Atoi(q.Get("page_size"))
		if page < 1 {
			page = 1
		}
		if size < 1 || size > 100 {
			size = 10
		}
		if int64(page) > ps.maxPage.Load() {
			ps.maxPage.Store(int64(page))
		}
		var links []string
		link := func(p int, rel string) string {
			return fmt.Sprintf(`<%s?page=%d&page_size=%d>; rel="%s"`, r.URL.Path, p, size, rel)
		}
		if page > 1 {
			links = append(links, link(page-1, "prev"))
		}
		if page*size < total {
			links = append(links, link(page+1, "next"))
		}
		if len(links) > 0 {
			w.Header().Set("Link", strings.Join(links, " , "))
		}
		w.Header().Set("X-Total-Count", strconv.Itoa(total))
		var items []string
		for i := (page-1)*size + 1; i <= min(page*size, total); i++ {
			items = append(items, fmt.Sprintf(`{"id":%d,"project_id":%d,"name":"item-%d"}`, i, i, i))
		}
		writeJSON(w, 200, "["+strings.Join(items, ",")+"]")
	})
	return ps
}

// listers runs All over five different generated list operations and
// returns the ids seen.
var listers = map[string]func(ctx context.Context, c *Client, opts ...ListOption) ([]int64, error){
	"projects": func(ctx context.Context, c *Client, opts ...ListOption) ([]int64, error) {
		return collect(All(ctx, c.API().Project.ListProjects, project.NewListProjectsParams(), opts...),
			func(p *models.Project) int64 { return int64(p.ProjectID) })
	},
	"robots": func(ctx context.Context, c *Client, opts ...ListOption) ([]int64, error) {
		return collect(All(ctx, c.API().Robot.ListRobot, robot.NewListRobotParams(), opts...),
			func(r *models.Robot) int64 { return r.ID })
	},
	"repositories": func(ctx context.Context, c *Client, opts ...ListOption) ([]int64, error) {
		return collect(All(ctx, c.API().Repository.ListRepositories, repository.NewListRepositoriesParams().WithProjectName("p"), opts...),
			func(r *models.Repository) int64 { return r.ID })
	},
	"artifacts": func(ctx context.Context, c *Client, opts ...ListOption) ([]int64, error) {
		params := artifact.NewListArtifactsParams().WithProjectName("p").WithRepositoryName(EscapeRepositoryName("a/b"))
		return collect(All(ctx, c.API().Artifact.ListArtifacts, params, opts...),
			func(a *models.Artifact) int64 { return a.ID })
	},
	"audit-logs": func(ctx context.Context, c *Client, opts ...ListOption) ([]int64, error) {
		return collect(All(ctx, c.API().Auditlog.ListAuditLogs, auditlog.NewListAuditLogsParams(), opts...),
			func(a *models.AuditLog) int64 { return a.ID })
	},
}

func collect[T any](seq func(func(T, error) bool), id func(T) int64) ([]int64, error) {
	ids := []int64{}
	for it, err := range seq {
		if err != nil {
			return ids, err
		}
		ids = append(ids, id(it))
	}
	return ids, nil
}

func seq(n int) []int64 {
	out := make([]int64, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, int64(i))
	}
	return out
}

func TestAllOverFiveOperations(t *testing.T) {
	for name, list := range listers {
		for _, total := range []int{0, 1, 100, 101, 250} {
			t.Run(fmt.Sprintf("%s/%d", name, total), func(t *testing.T) {
				ps := newPagedStub(t, total)
				c := newStubClient(t, ps.URL)
				ids, err := list(t.Context(), c)
				require.NoError(t, err)
				assert.Equal(t, seq(total), ids)
				wantRequests := total/100 + 1
				assert.EqualValues(t, wantRequests, ps.requests.Load(), "one request per page of 100, and one for the empty page after a full one")
			})
		}
	}
}

func TestAllSmallPagesAndLimit(t *testing.T) {
	ps := newPagedStub(t, 25)
	c := newStubClient(t, ps.URL)
	ids, err := listers["projects"](t.Context(), c, PageSize(10))
	require.NoError(t, err)
	assert.Equal(t, seq(25), ids)
	assert.EqualValues(t, 3, ps.requests.Load())

	ps.requests.Store(0)
	ids, err = listers["robots"](t.Context(), c, PageSize(10), Limit(12))
	require.NoError(t, err)
	assert.Equal(t, seq(12), ids)
	assert.EqualValues(t, 2, ps.requests.Load(), "a limit stops fetching")
}

func TestAllConcurrentKeepsOrder(t *testing.T) {
	for _, total := range []int{0, 1, 10, 11, 95} {
		ps := newPagedStub(t, total)
		ps.delay = time.Millisecond
		c := newStubClient(t, ps.URL)
		ids, err := listers["projects"](t.Context(), c, PageSize(10), Concurrency(4))
		require.NoError(t, err)
		assert.Equal(t, seq(total), ids, "total %d", total)
		assert.EqualValues(t, total/10+1, ps.requests.Load(), "total %d: each page, and an empty one after a full one", total)
	}
}

func TestAllStopsWhenConsumerBreaks(t *testing.T) {
	ps := newPagedStub(t, 1000)
	c := newStubClient(t, ps.URL)
	n := 0
	for _, err := range All(t.Context(), c.API().Project.ListProjects, project.NewListProjectsParams(), PageSize(10)) {
		require.NoError(t, err)
		if n++; n == 15 {
			break
		}
	}
	assert.EqualValues(t, 2, ps.requests.Load())
}

func TestAllYieldsErrorOnce(t *testing.T) {
	var calls atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 2 {
			writeJSON(w, 401, `{"errors":[{"code":"UNAUTHORIZED","message":"unauthorized"}]}`)
			return
		}
		w.Header().Set("X-Total-Count", "3")
		w.Header().Set("Link", `</api/v2.0/projects?page=2&page_size=1>; rel="next"`)
		writeJSON(w, 200, `[{"project_id":1}]`)
	})
	c := newStubClient(t, s.URL)
	var errs []error
	items := 0
	for _, err := range All(t.Context(), c.API().Project.ListProjects, project.NewListProjectsParams(), PageSize(1)) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items++
	}
	assert.Equal(t, 1, items)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrUnauthorized, "the error as All yields it")
}

func TestAllDoesNotChangeCallerParams(t *testing.T) {
	ps := newPagedStub(t, 3)
	c := newStubClient(t, ps.URL)
	params := project.NewListProjectsParams().WithName(ptr("x"))
	for range All(t.Context(), c.API().Project.ListProjects, params, PageSize(1)) {
	}
	assert.Nil(t, params.Page)
	assert.Nil(t, params.PageSize)
	assert.Equal(t, "x", *params.Name)
}

func TestParseLinkNext(t *testing.T) {
	cases := []struct {
		header string
		want   int64
		ok     bool
	}{
		{`</api/v2.0/projects?page=2&page_size=1>; rel="next"`, 2, true},
		{`</api/v2.0/projects?page=1&page_size=1>; rel="prev" , </api/v2.0/projects?page=3&page_size=1>; rel="next"`, 3, true},
		{`</api/v2.0/projects?page=2&page_size=1>; rel="prev"`, 0, false},
		{``, 0, false},
		{`garbage`, 0, false},
		{`</x?page=abc>; rel="next"`, 0, false},
		{`</x?page=0>; rel="next"`, 0, false},
		{`<https://h/api/v2.0/robots?q=Level%3Dsystem&page=7&page_size=10>; rel=next`, 7, true},
	}
	for _, tc := range cases {
		got, ok := parseLinkNext(tc.header)
		assert.Equal(t, tc.ok, ok, tc.header)
		assert.Equal(t, tc.want, got, tc.header)
	}
}

func FuzzParseLinkNext(f *testing.F) {
	f.Add(`</api/v2.0/projects?page=1&page_size=1>; rel="prev" , </api/v2.0/projects?page=3&page_size=1>; rel="next"`)
	f.Add(`<>; rel="next"`)
	f.Add(`<%zz>; rel=next`)
	f.Fuzz(func(t *testing.T, header string) {
		n, ok := parseLinkNext(header)
		if ok && n < 1 {
			t.Fatalf("next page %d from %q", n, header)
		}
	})
}

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
					ids, err = listers["projects"](t.Context(), c, PageSize(size), Concurrency(3))
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
	for _, opts := range [][]ListOption{nil, {Concurrency(4)}} {
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
		for _, opts := range [][]ListOption{{PageSize(10)}, {PageSize(10), Concurrency(3)}} {
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
	for _, opts := range [][]ListOption{{PageSize(10)}, {PageSize(10), Concurrency(3)}} {
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
