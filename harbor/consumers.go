package harbor

import (
	"encoding/json"
	"errors"
	"io"

	"github.com/go-openapi/runtime"
)

// decodeJSON is go-openapi's JSON consumer (json.Decoder with UseNumber,
// so numbers in untyped fields stay json.Number; strfmt parses Harbor's
// millisecond timestamps) with one difference: an empty body decodes to
// nothing, without error, as Harbor answers some GETs (schedules) 200 with
// Content-Type application/json and no body.
func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := dec.Decode(v); !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// jsonConsumer is the consumer of every JSON answer.
var jsonConsumer = runtime.ConsumerFunc(decodeJSON)

// errorConsumer decodes the kept copy of an error answer's body for the
// generated reader: Harbor's error JSON fills the generated error's
// payload; any other body leaves it empty (*Error keeps its text), so the
// generated error exists whatever the body.
var errorConsumer = runtime.ConsumerFunc(func(r io.Reader, v any) error {
	_ = decodeJSON(r, v)
	return nil
})
