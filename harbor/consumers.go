package harbor

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sync"

	"github.com/go-openapi/runtime"

	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// jsonConsumer decodes every JSON answer as go-openapi's JSON consumer does
// (json.Decoder with UseNumber, so numbers in untyped fields stay
// json.Number; strfmt parses Harbor's millisecond timestamps), with one
// difference: an empty body decodes to nothing, without error, as Harbor
// answers some GETs (schedules) 200 with Content-Type application/json and
// no body.
//
// For the payloads of the most used operations (see plainPayload) the body
// is read into a pooled buffer and decoded with json.Unmarshal, which
// gives the same result for types that hold no interface value
// (TestPlainPayloadsHoldNoInterface) without json.Decoder's growing buffer.
// Where json.Unmarshal fails, the body is decoded again with json.Decoder,
// so errors, and data after the value (which json.Decoder ignores), behave
// exactly as go-openapi's.
var jsonConsumer = runtime.ConsumerFunc(func(r io.Reader, v any) error {
	if !plainPayload(v) {
		return decodeJSON(r, v)
	}
	buf := bufferPool.Get().(*bytes.Buffer)
	defer bufferPool.Put(buf)
	buf.Reset()
	if _, err := buf.ReadFrom(r); err != nil {
		return err
	}
	data := buf.Bytes()
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if json.Unmarshal(data, v) != nil {
		return decodeJSON(bytes.NewReader(data), v)
	}
	return nil
})

var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// plainPayload reports whether v is one of the payloads decoded with
// json.Unmarshal: generated models without an interface value anywhere in
// them, so that UseNumber cannot change their decoding
// (TestPlainPayloadsHoldNoInterface checks this list).
func plainPayload(v any) bool {
	switch v.(type) {
	case *[]*models.Project, *models.Project, *[]*models.Robot, *models.Robot, *models.RobotCreated,
		*models.RobotSec, *[]*models.Repository, *models.Repository, *models.UserResp, *[]*models.UserResp:
		return true
	}
	return false
}

// decodeJSON is go-openapi's JSON consumer, with an empty body decoding to
// nothing.
func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := dec.Decode(v); !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// errorConsumer decodes the kept copy of an error answer's body for the
// generated reader: Harbor's error JSON fills the generated error's
// payload; any other body leaves it empty (*Error keeps its text), so the
// generated error exists whatever the body.
var errorConsumer = runtime.ConsumerFunc(func(r io.Reader, v any) error {
	_ = decodeJSON(r, v)
	return nil
})
