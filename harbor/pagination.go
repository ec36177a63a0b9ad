package harbor

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
)

// MaxPageSize is the largest page Harbor serves, All's default page size.
const MaxPageSize = 100

// PagedParams is what the generated parameter types of Harbor's 41
// paginated operations (ListProjects, ListRobot...) have in common.
type PagedParams interface {
	SetPage(*int64)
	SetPageSize(*int64)
}

// PagedResult is what the generated OK answers of paginated operations have
// in common: the page's items. The Client that sent it reads the page's Link
// and X-Total-Count headers; without a Client every full page is followed.
type PagedResult[T any] interface {
	GetPayload() []T
}

// ListOption tunes All. A nil one is skipped; a bad value makes All yield
// an error naming it, before any request.
type ListOption func(*listConfig) error

type listConfig struct {
	pageSize int64
	limit    int // math.MaxInt: no limit
	workers  int
}

// maxWorkers bounds Concurrency: more only queue up in Harbor.
const maxWorkers = 64

// PageSize sets the page size, 1 to MaxPageSize (Harbor's largest). Default
// MaxPageSize. Another value is an error.
func PageSize(n int) ListOption {
	return func(c *listConfig) error {
		if n < 1 || n > MaxPageSize {
			return fmt.Errorf("PageSize(%d): the page size must be 1 to %d (Harbor's largest page)", n, MaxPageSize)
		}
		c.pageSize = int64(n)
		return nil
	}
}

// Limit stops the iteration after n items (n >= 1; default: no limit).
func Limit(n int) ListOption {
	return func(c *listConfig) error {
		if n < 1 {
			return fmt.Errorf("Limit(%d): the limit must be at least 1 (leave it out for no limit)", n)
		}
		c.limit = n
		return nil
	}
}

// Concurrency fetches pages with up to workers requests in flight (1 to 64;
// default 1, sequential) once a page has told X-Total-Count, still yielding
// items in order and holding at most workers pages in memory.
func Concurrency(workers int) ListOption {
	return func(c *listConfig) error {
		if workers < 1 || workers > maxWorkers {
			return fmt.Errorf("Concurrency(%d): workers must be 1 to %d", workers, maxWorkers)
		}
		c.workers = workers
		return nil
	}
}

// All lists every item of a paginated generated operation (e.g.
// c.API().Project.ListProjects, see the example) as an iterator, page by
// page, so memory stays bounded by the page size. params carries the
// operation's filters (q, sort, name...); All sets page and page size on
// copies, never on params.
//
// Only an empty or short page ends the listing (unless Link rel="next" or
// X-Total-Count says more follow), or a full one whose Link has no "next":
// a missing or wrong header costs a request, never items. A server that
// ignores page= cannot make it endless: a page repeating the one before, or
// items past a page's X-Total-Count, is an error naming the URL
// (ErrUnexpectedContent).
//
// An error ends the iteration after being yielded once. The error of a
// generated operation is yielded as it is (see Error for matching it); a
// nil ctx or op, or a bad ListOption, is yielded before any request.
func All[T any, S any, P interface {
	*S
	PagedParams
}, R PagedResult[T]](ctx context.Context, op func(context.Context, P) (R, error), params P, opts ...ListOption) iter.Seq2[T, error] {
	cfg := listConfig{pageSize: MaxPageSize, limit: math.MaxInt, workers: 1}
	var cfgErr error
	for _, o := range opts {
		if o != nil && cfgErr == nil {
			cfgErr = o(&cfg)
		}
	}
	switch {
	case cfgErr != nil:
		cfgErr = fmt.Errorf("harbor: All: %w", cfgErr)
	case op == nil:
		cfgErr = errors.New("harbor: All: op is nil: pass a generated list operation, e.g. c.API().Project.ListProjects")
	default:
		cfgErr = checkContext(ctx, "All")
	}
	fetch := func(ctx context.Context, page int64) ([]T, pageInfo, error) {
		p := P(new(S))
		if params != nil {
			*p = *(*S)(params)
		}
		size := cfg.pageSize
		p.SetPage(&page)
		p.SetPageSize(&size)
		ctx, info := withPageInfo(ctx)
		res, err := op(ctx, p)
		if err != nil {
			return nil, pageInfo{}, err
		}
		return res.GetPayload(), *info, nil
	}
	return func(yield func(T, error) bool) {
		err := cfgErr
		if err == nil {
			err = (&walk[T]{cfg: cfg, fetch: fetch, yield: yield}).run(ctx)
		}
		if err != nil {
			var zero T
			yield(zero, err)
		}
	}
}
