package harbor

import (
	"bytes"
	"encoding"
	"encoding/json"
	"io"
	"reflect"
	"sync"

	"github.com/go-openapi/runtime"
)

// jsonConsumer decodes JSON answers the way go-openapi's JSON consumer does
// (json.Decoder with UseNumber: numbers in untyped fields stay
// json.Number), only cheaper. The transport has already read the body to
// the end into a pooled buffer (so the connection is reused); when the
// target holds no untyped (interface) value, UseNumber cannot change the
// result and the buffer is decoded in place with json.Unmarshal, without
// json.Decoder's copy of the body. On any error the answer is decoded again
// the old way, so errors (and trailing data after the value, which the
// Decoder ignores) behave exactly as before.
func jsonConsumer() runtime.Consumer {
	return runtime.ConsumerFunc(func(r io.Reader, v any) error {
		bb, ok := r.(*bufferedBody)
		if !ok || needsUseNumber(v) {
			if ok {
				r = bytes.NewReader(bb.remaining())
			}
			return decodeStream(r, v)
		}
		data := bb.remaining()
		if len(bytes.TrimLeft(data, " \t\r\n")) == 0 {
			return nil // an empty body decodes to nothing, as Harbor's 200s without content
		}
		if err := json.Unmarshal(data, v); err != nil {
			return decodeStream(bytes.NewReader(data), v)
		}
		return nil
	})
}

// decodeStream is go-openapi's JSON consumer, with an empty body decoding
// to nothing.
func decodeStream(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	err := dec.Decode(v)
	if err == io.EOF {
		return nil
	}
	return err
}

// numberTypes caches, per decoding target type, whether encoding/json may
// store an untyped number in it (so UseNumber matters).
var numberTypes sync.Map // reflect.Type -> bool

// needsUseNumber reports whether decoding into v may store a number in an
// interface value. Values behind json.Unmarshaler or encoding.TextUnmarshaler
// are decoded by their own methods, which UseNumber does not reach; a target
// that is not a non-nil pointer gets the old path (and its error).
func needsUseNumber(v any) bool {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer || reflect.ValueOf(v).IsNil() {
		return true
	}
	if b, ok := numberTypes.Load(t); ok {
		return b.(bool)
	}
	b := holdsInterface(t.Elem(), map[reflect.Type]bool{})
	numberTypes.Store(t, b)
	return b
}

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func holdsInterface(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false // already being looked at higher up
	}
	seen[t] = true
	pt := reflect.PointerTo(t)
	if t.Kind() != reflect.Interface &&
		(pt.Implements(jsonUnmarshalerType) || pt.Implements(textUnmarshalerType)) {
		return false
	}
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return holdsInterface(t.Elem(), seen)
	case reflect.Map:
		return holdsInterface(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if holdsInterface(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}
