package harbortest

// at makes h a handler of the item find resolves from the path for action
// (registryFromPath, preheatPolicy, ...), declared beside the route as
// inProject is: a failed lookup is the answer.
func at[T any](find func(*request, string) (T, *apiError), action string,
	h func(*request, T) (answer, *apiError)) handler {
	return func(r *request) (answer, *apiError) {
		v, e := find(r, action)
		if e != nil {
			return answer{}, e
		}
		return h(r, v)
	}
}

// atArg is at for a handler of a bound body or page, as proj is for inProject:
// the binding decorator wrapping it refuses a malformed one before the lookup.
func atArg[T, A any](find func(*request, string) (T, *apiError), action string,
	h func(*request, T, A) (answer, *apiError)) func(*request, A) (answer, *apiError) {
	return func(r *request, a A) (answer, *apiError) {
		v, e := find(r, action)
		if e != nil {
			return answer{}, e
		}
		return h(r, v, a)
	}
}
