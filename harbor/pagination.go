package harbor

import (
	"context"
	"iter"
	"net/url"
	"reflect"
	"strconv"
	"strings"
)

// MaxPageSize is the largest page Harbor serves (its page_size limit); it is
// the default page size of All.
const MaxPageSize = 100

// PagedParams is what the generated parameter types of Harbor's paginated
// operations (ListProjects, ListRobot, ListRepositories, ListArtifacts,
// ListAuditLogs and the 36 others) have in common.
type PagedParams interface {
	SetPage(*int64)
	SetPageSize(*int64)
}

// PagedResult is what the generated OK answers of paginated operations have
// in common: the page's items. Their Link and XTotalCount fields, where the
// operation has them, are read too.
type PagedResult[T any] interface {
	GetPayload() []T
}

// ListOption tunes All.
type ListOption func(*listConfig)

type listConfig struct {
	pageSize int64
	limit    int
	workers  int
}

// PageSize sets the page size (1 to MaxPageSize). Default MaxPageSize.
// Values outside the range are clamped.
func PageSize(n int) ListOption {
	return func(c *listConfig) { c.pageSize = int64(min(max(n, 1), MaxPageSize)) }
}

// Limit stops the iteration after n items. Default: no limit (n <= 0).
func Limit(n int) ListOption {
	return func(c *listConfig) { c.limit = n }
}

// Concurrent fetches pages with up to workers requests in flight once the
// first page has told the total (X-Total-Count), and still yields items in
// order. At most workers pages are held in memory. Operations without
// X-Total-Count are listed sequentially. Default: sequential (workers <= 1).
func Concurrent(workers int) ListOption {
	return func(c *listConfig) { c.workers = workers }
}

// All lists every item of a paginated generated operation as an iterator,
// page by page, so memory stays bounded by the page size:
//
//	for p, err := range harbor.All(ctx, c.API().Project.ListProjects, project.NewListProjectsParams()) {
//		if err != nil { return err }
//		fmt.Println(p.Name)
//	}
//
// params carries the operation's filters (q, sort, name...); All sets its
// page and page size (on copies, params itself is not changed). It follows
// Harbor's Link rel="next" header and stops on the last page, on an empty
// page or at the Limit. An error ends the iteration after being yielded
// once; turn it into *Error with AsError.
func All[T any, S any, P interface {
	*S
	PagedParams
}, R PagedResult[T]](ctx context.Context, op func(context.Context, P) (R, error), params P, opts ...ListOption) iter.Seq2[T, error] {
	cfg := listConfig{pageSize: MaxPageSize}
	for _, o := range opts {
		o(&cfg)
	}
	fetch := func(ctx context.Context, page int64) ([]T, pageInfo, error) {
		p := P(new(S))
		if params != nil {
			*p = *(*S)(params)
		}
		size := cfg.pageSize
		p.SetPage(&page)
		p.SetPageSize(&size)
		res, err := op(ctx, p)
		if err != nil {
			return nil, pageInfo{}, err
		}
		return res.GetPayload(), readPageInfo(res), nil
	}
	return func(yield func(T, error) bool) {
		var zero T
		count := 0
		emit := func(items []T) (more bool) {
			for _, it := range items {
				if cfg.limit > 0 && count >= cfg.limit {
					return false
				}
				count++
				if !yield(it, nil) {
					return false
				}
			}
			return cfg.limit <= 0 || count < cfg.limit
		}
		items, info, err := fetch(ctx, 1)
		if err != nil {
			yield(zero, err)
			return
		}
		if !emit(items) {
			return
		}
		if cfg.workers > 1 && info.hasTotal {
			pages := (info.total + cfg.pageSize - 1) / cfg.pageSize
			if cfg.limit > 0 {
				pages = min(pages, (int64(cfg.limit)+cfg.pageSize-1)/cfg.pageSize)
			}
			concurrentPages(ctx, cfg.workers, 2, pages, fetch, emit, func(err error) { yield(zero, err) })
			return
		}
		page := int64(1)
		for {
			next, ok := nextPage(page, len(items), cfg.pageSize, info)
			if !ok {
				return
			}
			page = next
			items, info, err = fetch(ctx, page)
			if err != nil {
				yield(zero, err)
				return
			}
			if !emit(items) {
				return
			}
		}
	}
}

// nextPage decides whether there is a page after page, and which.
func nextPage(page int64, got int, size int64, info pageInfo) (int64, bool) {
	if got == 0 {
		return 0, false
	}
	if info.hasLink {
		return info.next, info.next > page
	}
	if info.hasTotal {
		return page + 1, page*size < info.total
	}
	return page + 1, int64(got) >= size
}

// concurrentPages fetches pages first..last with up to workers in flight and
// hands them to emit in order.
func concurrentPages[T any](ctx context.Context, workers int, first, last int64,
	fetch func(context.Context, int64) ([]T, pageInfo, error), emit func([]T) bool, fail func(error)) {
	if first > last {
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		items []T
		err   error
	}
	results := make(chan chan result, workers-1) // bounds pages fetched ahead of the reader
	go func() {
		defer close(results)
		for p := first; p <= last; p++ {
			ch := make(chan result, 1)
			select {
			case results <- ch:
			case <-ctx.Done():
				return
			}
			go func(p int64) {
				items, _, err := fetch(ctx, p)
				ch <- result{items, err}
			}(p)
		}
	}()
	for ch := range results {
		r := <-ch
		if r.err != nil {
			fail(r.err)
			return
		}
		if len(r.items) == 0 || !emit(r.items) {
			return
		}
	}
}

// pageInfo is what a page's headers say about the rest.
type pageInfo struct {
	total    int64
	hasTotal bool
	next     int64
	hasLink  bool
}

// readPageInfo reads the generated answer's XTotalCount and Link fields.
func readPageInfo(res any) pageInfo {
	var info pageInfo
	v := reflect.ValueOf(res)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return info
	}
	v = v.Elem()
	if f := v.FieldByName("XTotalCount"); f.IsValid() && f.Kind() == reflect.Int64 {
		info.total, info.hasTotal = f.Int(), true
	}
	if f := v.FieldByName("Link"); f.IsValid() && f.Kind() == reflect.String {
		info.hasLink = true
		if next, ok := ParseLinkNext(f.String()); ok {
			info.next = next
		}
	}
	return info
}

// ParseLinkNext reads the page number of the rel="next" link in a Link
// header as Harbor writes it (`</api/v2.0/projects?page=1&page_size=10>;
// rel="prev" , </api/v2.0/projects?page=3&page_size=10>; rel="next"`, with
// relative URLs). It returns false when there is no next link or its page is
// not a positive number.
func ParseLinkNext(header string) (int64, bool) {
	for part := range strings.SplitSeq(header, ",") {
		target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
		if !ok {
			continue
		}
		target = strings.TrimSpace(target)
		if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
			continue
		}
		isNext := false
		for p := range strings.SplitSeq(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "rel") {
				for rel := range strings.FieldsSeq(strings.Trim(strings.TrimSpace(v), `"`)) {
					isNext = isNext || strings.EqualFold(rel, "next")
				}
			}
		}
		if !isNext {
			continue
		}
		u, err := url.Parse(target[1 : len(target)-1])
		if err != nil {
			return 0, false
		}
		n, err := strconv.ParseInt(u.Query().Get("page"), 10, 64)
		if err != nil || n < 1 {
			return 0, false
		}
		return n, true
	}
	return 0, false
}
