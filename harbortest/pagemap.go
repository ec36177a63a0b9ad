package harbortest

// pageOf answers one page of items, each rendered by toJSON, with the
// X-Total-Count and Link headers of all of them; only the page is rendered.
func pageOf[T, J any](r *request, items []T, pp pageParams, toJSON func(T) J) (answer, *apiError) {
	start, end := pp.bounds(len(items))
	out := make([]J, 0, end-start)
	for _, it := range items[start:end] {
		out = append(out, toJSON(it))
	}
	setPagination(r.header, r, len(items), pp)
	return reply(out)
}
