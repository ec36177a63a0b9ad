package harbortest

import (
	"fmt"
	"math"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const (
	defaultPageSize = 10
	maxPageSize     = 100
)

type pageParams struct {
	page     int64 // as requested (0 is kept for the Link header, served as 1)
	pageSize int64
}

// parsePage reads page and page_size with go-swagger's validation messages.
func parsePage(r *request) (pageParams, *apiError) {
	pp := pageParams{page: 1, pageSize: defaultPageSize}
	var e *apiError
	if v := r.URL.Query().Get("page"); v != "" {
		pp.page, e = parseInt64("page", "query", v)
	}
	if v := r.URL.Query().Get("page_size"); v != "" && e == nil {
		pp.pageSize, e = parseInt64("page_size", "query", v)
	}
	switch {
	case e != nil:
		return pp, e
	case pp.pageSize > maxPageSize:
		return pp, errUnprocessable("page_size in query should be less than or equal to 100")
	// Harbor computes (page-1)*page_size and page*page_size (Link) in int64; overflow is refused.
	case mulOverflows(pp.page, pp.pageSize) || mulOverflows(pp.page-1, pp.pageSize) || pp.page == math.MinInt64:
		return pp, errBadRequest(fmt.Sprintf("page in query is too large for page_size %d: %d", pp.pageSize, pp.page))
	}
	return pp, nil
}

func mulOverflows(a, b int64) bool {
	return !new(big.Int).Mul(big.NewInt(a), big.NewInt(b)).IsInt64()
}

// bounds returns the [start, end) of the page within total items.
func (pp pageParams) bounds(total int) (int, int) {
	page, size := max(pp.page, 1), pp.pageSize
	if size <= 0 {
		return 0, total
	}
	start := min((page-1)*size, int64(total)) // parsePage refused an overflow
	return int(start), int(min(start+size, int64(total)))
}

// setPagination writes X-Total-Count and Link as Harbor's BaseAPI.Links: relative
// URLs keeping the other query parameters (sorted, unescaped), joined by " , ".
func setPagination(h http.Header, r *request, total int, pp pageParams) {
	h.Set("X-Total-Count", strconv.Itoa(total))
	if pp.pageSize == 0 {
		return
	}
	ul := url.URL{Path: r.URL.Path, RawQuery: r.URL.RawQuery}
	if p, ok := r.Context().Value(linkPathKey{}).(string); ok {
		ul.Path = p
	}
	var links []string
	link := func(p int64, rel string) {
		q := ul.Query()
		q.Set("page", strconv.FormatInt(p, 10))
		q.Set("page_size", strconv.FormatInt(pp.pageSize, 10))
		ul.RawQuery = q.Encode()
		if unescaped, err := url.QueryUnescape(ul.RawQuery); err == nil {
			ul.RawQuery = unescaped
		}
		links = append(links, fmt.Sprintf("<%s>; rel=%q", ul.String(), rel))
	}
	if pp.page > 1 && (pp.page-1)*pp.pageSize < int64(total) {
		link(pp.page-1, "prev")
	}
	if pp.pageSize*pp.page < int64(total) {
		link(pp.page+1, "next")
	}
	if len(links) > 0 {
		h.Set("Link", strings.Join(links, " , "))
	}
}

// page answers one page of items (never null) with X-Total-Count and Link.
func page[T any](r *request, items []T, pp pageParams) (answer, *apiError) {
	return pageOf(r, items, pp, func(x T) T { return x })
}

// pageOf is page rendering only the items on the page with conv.
func pageOf[T, J any](r *request, items []T, pp pageParams, conv func(T) J) (answer, *apiError) {
	start, end := pp.bounds(len(items))
	out := make([]J, 0, end-start)
	for _, x := range items[start:end] {
		out = append(out, conv(x))
	}
	setPagination(r.header, r, len(items), pp)
	return reply(out)
}
