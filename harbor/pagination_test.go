package harbor

import (
	"context"
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
		ids, err := listers["projects"](t.Context(), c, PageSize(10), Concurrent(4))
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
