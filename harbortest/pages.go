package harbortest

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
