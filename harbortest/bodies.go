package harbortest

// withBody makes the handler of an operation with a JSON body: the body is
// decoded into a new T (what names it in go-swagger's 422 messages) before
// h runs, so a malformed body is refused before any other check, as in Harbor.
// A body type that is an alias of an unnamed struct keeps the 422 message of
// a wrongly typed field free of a Go type name ("Go struct field .name").
func withBody[T any](what string, h func(*request, *T) (answer, *apiError)) handler {
	return func(r *request) (answer, *apiError) {
		var body T
		if e := decodeBody(r, &body, what); e != nil {
			return answer{}, e
		}
		return h(r, &body)
	}
}
