package harbor

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/go-openapi/runtime"
)

// jsonConsumer decodes JSON answers. The transport has already read the
// body to the end (so the connection is reused); decoding straight from
// that buffer avoids json.Decoder's own copy. Numbers in untyped fields stay
// json.Number, as go-openapi's consumer keeps them.
func jsonConsumer() runtime.Consumer {
	return runtime.ConsumerFunc(func(r io.Reader, v any) error {
		if bb, ok := r.(*bufferedBody); ok {
			r = bytes.NewReader(bb.remaining())
		}
		dec := json.NewDecoder(r)
		dec.UseNumber()
		err := dec.Decode(v)
		if err == io.EOF {
			return nil // an empty body decodes to nothing, as Harbor's 200s without content
		}
		return err
	})
}
