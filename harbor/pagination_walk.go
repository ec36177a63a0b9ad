package harbor

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// walk is one iteration of All.
type walk[T any] struct {
	cfg   listConfig
	fetch func(context.Context, int64) ([]T, pageInfo, error)
	yield func(T, error) bool
	count int      // items yielded
	seen  int64    // items received
	prev  [32]byte // digest of the previous page, to see a server that does not page
}

// run fetches and yields pages until the last one, the limit, a consumer
// that stops, or an error (returned, not yielded).
func (w *walk[T]) run(ctx context.Context) error {
	var page int64
	var info pageInfo // of page; none before page 1: sequential
	for more := true; more; {
		var err error
		if last, ok := w.concurrentUntil(page, info); ok {
			page, info, more, err = w.concurrent(ctx, page+1, last)
		} else {
			page++
			var items []T
			if items, info, err = w.fetch(ctx, page); err == nil {
				more, err = w.take(page, items, info)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// take checks (paged) and yields the items of page, and reports whether to
// fetch the next.
func (w *walk[T]) take(page int64, items []T, info pageInfo) (bool, error) {
	if err := w.paged(page, items, info); err != nil {
		return false, err
	}
	w.seen += int64(len(items))
	for _, it := range items[:min(len(items), w.cfg.limit-w.count)] {
		w.count++
		if !w.yield(it, nil) {
			return false, nil
		}
	}
	if w.count >= w.cfg.limit {
		return false, nil
	}
	return morePages(len(items), w.seen, w.cfg.pageSize, info), nil
}

// paged stops a server that ignores page=: a page equal to the one before,
// or items past X-Total-Count (offset paging cannot pass it, even while
// items come and go), is an error naming its URL.
func (w *walk[T]) paged(page int64, items []T, info pageInfo) error {
	why := ""
	if n := w.seen + int64(len(items)); info.hasTotal && n > info.total {
		why = fmt.Sprintf("%d items by page %d, more than the %d it announced (X-Total-Count)", n, page, info.total)
	} else if b, err := json.Marshal(items); err == nil {
		sum := sha256.Sum256(b)
		if page > 1 && sum == w.prev {
			why = fmt.Sprintf("page %d repeats page %d", page, page-1)
		}
		w.prev = sum
	}
	if why == "" {
		return nil
	}
	return fmt.Errorf("harbor: All: GET %s: %s: the server does not page (%w); listing stopped", info.url, why, ErrUnexpectedContent)
}

// morePages decides, after a page of got items (seen in all), whether to
// ask for the next: after a full page unless its Link lacks "next" (Harbor
// writes it on every page but the last), whatever X-Total-Count says; after
// a short one only if Link or X-Total-Count says more follow.
func morePages(got int, seen, size int64, info pageInfo) bool {
	switch {
	case got == 0 || int64(got) > size:
		return false // the end, or an operation that does not paginate
	case int64(got) == size:
		return !info.hasLink || info.next
	}
	return info.next || info.hasTotal && seen < info.total
}

// concurrentUntil says whether to fetch the pages after page concurrently,
// and up to which page the total (and the limit) predict.
func (w *walk[T]) concurrentUntil(page int64, info pageInfo) (int64, bool) {
	if w.cfg.workers < 2 || !info.hasTotal {
		return 0, false
	}
	n := min(info.total, int64(w.cfg.limit)) // X-Total-Count may be huge
	last := n / w.cfg.pageSize
	if n%w.cfg.pageSize != 0 {
		last++
	}
	return last, last > page+1
}

// concurrent fetches pages first..last, up to workers at once, and takes
// them in order; it returns the last page taken, its headers, and whether
// to go on.
func (w *walk[T]) concurrent(ctx context.Context, first, last int64) (int64, pageInfo, bool, error) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait() // no request outlives the iteration
	defer cancel()
	type result struct {
		items []T
		info  pageInfo
		err   error
	}
	results := make(chan chan result, w.cfg.workers-1) // bounds pages fetched ahead of the reader
	wg.Go(func() {
		defer close(results)
		for p := first; p <= last; p++ {
			ch := make(chan result, 1)
			select {
			case results <- ch:
			case <-ctx.Done():
				return
			}
			wg.Go(func() {
				items, info, err := w.fetch(ctx, p)
				ch <- result{items, info, err}
			})
		}
	})
	page := first
	for ch := range results {
		r := <-ch
		if r.err != nil {
			return page, pageInfo{}, false, r.err
		}
		if more, err := w.take(page, r.items, r.info); !more {
			return page, r.info, false, err
		}
		if page == last {
			return page, r.info, true, nil
		}
		page++
	}
	return page, pageInfo{}, false, ctx.Err()
}

// pageInfo is what a page's headers say about the rest.
type pageInfo struct {
	url      string // the page's, for errors
	total    int64
	hasTotal bool
	hasLink  bool // a Link header, with whatever rel
	next     bool // a Link header with rel="next"
}

// readPageInfo reads the URL and page headers of a 2xx answer.
func readPageInfo(resp *http.Response) (info pageInfo) {
	if resp.Request != nil {
		info.url = resp.Request.URL.String()
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(resp.Header.Get("X-Total-Count")), 10, 64); err == nil && n >= 0 {
		info.total, info.hasTotal = n, true
	}
	link := strings.Join(resp.Header.Values("Link"), ", ")
	info.hasLink = strings.TrimSpace(link) != ""
	_, info.next = parseLinkNext(link)
	return info
}

// parseLinkNext reads the page number of the rel="next" link in a Link
// header as Harbor writes it (`</api/v2.0/projects?page=3&page_size=10>;
// rel="next"`); false when there is none or its page is not positive.
func parseLinkNext(header string) (int64, bool) {
	for part := range strings.SplitSeq(header, ",") {
		target, params, ok := strings.Cut(part, ";")
		target = strings.TrimSpace(target)
		isNext := false
		for p := range strings.SplitSeq(params, ";") {
			k, v, _ := strings.Cut(p, "=")
			rels := strings.Fields(strings.ToLower(strings.Trim(strings.TrimSpace(v), `"`)))
			isNext = isNext || strings.EqualFold(strings.TrimSpace(k), "rel") && slices.Contains(rels, "next")
		}
		if !ok || !isNext || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
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
