package harbor

import (
	"bytes"
	"encoding"
	"encoding/json"
	"io"
	"reflect"
	"sync"
	"time"

	"github.com/go-openapi/runtime"
	"github.com/go-openapi/strfmt"

	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// errorBodyTolerant wraps a consumer so that an error answer whose body is
// not Harbor's error JSON (a proxy's text/plain 502, an empty or truncated
// body) still yields the generated error type, and so its status, instead
// of a decoding error that has lost both. The body's text is kept as a
// single item without a code, which AsError turns into Error.Body.
func errorBodyTolerant(next runtime.Consumer) runtime.Consumer {
	return runtime.ConsumerFunc(func(r io.Reader, v any) error {
		eb, ok := v.(*models.Errors)
		if !ok {
			return next.Consume(r, v)
		}
		data, err := io.ReadAll(io.LimitReader(r, maxKeptErrBody))
		if err != nil {
			return err
		}
		items, text := decodeErrorBody(data)
		eb.Errors = nil
		for _, it := range items {
			eb.Errors = append(eb.Errors, &models.Error{Code: it.Code, Message: it.Message})
		}
		if len(items) == 0 && text != "" {
			eb.Errors = []*models.Error{{Message: text}}
		}
		return nil
	})
}

// jsonConsumer decodes JSON answers with the result go-openapi's JSON
// consumer gives (json.Decoder with UseNumber: numbers in untyped fields
// stay json.Number), only cheaper. For a body the transport has already read
// into a pooled buffer (all answers but HEAD and very large ones):
//
//   - when the target holds no untyped (interface) value, UseNumber cannot
//     change the result, and the buffer is decoded in place with
//     json.Unmarshal, without json.Decoder's copy of the body;
//   - strfmt.DateTime values are parsed by fastDateTime, which reads
//     Harbor's millisecond timestamps directly instead of first failing on
//     two microsecond layouts (see withFastDateTimes). Nothing global, such
//     as strfmt.DateTimeFormats, is changed.
//
// On any error the body is decoded again exactly as go-openapi does, so
// errors, and trailing data after the value (which json.Decoder ignores),
// behave as before.
func jsonConsumer() runtime.Consumer {
	return runtime.ConsumerFunc(func(r io.Reader, v any) error {
		bb, ok := r.(*bufferedBody)
		if !ok {
			return decodeStream(r, v)
		}
		data := bb.remaining()
		target := withFastDateTimes(v)
		if needsUseNumber(v) {
			err := decodeStream(bytes.NewReader(data), target)
			if err != nil && target != v {
				err = decodeStream(bytes.NewReader(data), v)
			}
			return err
		}
		if len(bytes.TrimLeft(data, " \t\r\n")) == 0 {
			return nil // an empty body decodes to nothing, as Harbor's 200s without content
		}
		if err := json.Unmarshal(data, target); err != nil {
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
	dateTimeType        = reflect.TypeFor[strfmt.DateTime]()
	fastDateTimeType    = reflect.TypeFor[fastDateTime]()
)

// decodesItself reports whether encoding/json hands values of t to their own
// UnmarshalJSON or UnmarshalText.
func decodesItself(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return t.Kind() != reflect.Interface && (pt.Implements(jsonUnmarshalerType) || pt.Implements(textUnmarshalerType))
}

func holdsInterface(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false // already being looked at higher up
	}
	seen[t] = true
	if decodesItself(t) {
		return false
	}
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
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

// fastDateTime has strfmt.DateTime's memory layout and decodes to the same
// value. strfmt.ParseDateTime tries strfmt.DateTimeFormats in order; with
// the default list a timestamp shaped like Harbor's
// ("2026-11-26T21:30:21.147Z") fails on the two microsecond layouts (each
// failure allocates a *time.ParseError and copies of the strings) before
// RFC3339Millis parses it. fastDateTime reads exactly that shape itself
// when the layouts before RFC3339Millis in strfmt.DateTimeFormats are those
// two, and hands everything else (other shapes, null, a changed format
// list, an out-of-range field) to strfmt.DateTime's own UnmarshalJSON.
type fastDateTime strfmt.DateTime

// UnmarshalJSON implements json.Unmarshaler.
func (t *fastDateTime) UnmarshalJSON(data []byte) error {
	if tt, ok := parseHarborMillis(data); ok && millisComesFirst() {
		*t = fastDateTime(tt)
		return nil
	}
	return (*strfmt.DateTime)(t).UnmarshalJSON(data)
}

// parseHarborMillis reads a JSON string of the exact shape
// "dddd-dd-ddTdd:dd:dd.dddZ" (no escapes) as
// time.ParseInLocation(strfmt.RFC3339Millis, s, loc) does: the "Z" makes
// the time UTC whatever loc. ok is false for any other shape and for the
// fields time.Parse refuses (month, day, hour, minute or second out of
// range), which are left to strfmt to report.
func parseHarborMillis(data []byte) (_ time.Time, ok bool) {
	const shape = `"dddd-dd-ddTdd:dd:dd.dddZ"`
	if len(data) != len(shape) {
		return time.Time{}, false
	}
	for i := range len(shape) {
		if shape[i] == 'd' {
			if data[i] < '0' || data[i] > '9' {
				return time.Time{}, false
			}
		} else if data[i] != shape[i] {
			return time.Time{}, false
		}
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range data[i : i+n] {
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(1, 4), num(6, 2), num(9, 2)
	hour, minute, sec, ms := num(12, 2), num(15, 2), num(18, 2), num(21, 3)
	if month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	tt := time.Date(year, time.Month(month), day, hour, minute, sec, ms*int(time.Millisecond), time.UTC)
	if tt.Day() != day {
		return time.Time{}, false // e.g. February 30th, which time.Parse refuses
	}
	return tt, true
}

// millisComesFirst reports whether strfmt.ParseDateTime would reach
// RFC3339Millis having tried only layouts that cannot parse a Harbor
// millisecond timestamp (they need six fractional digits).
func millisComesFirst() bool {
	for _, layout := range strfmt.DateTimeFormats {
		switch layout {
		case strfmt.RFC3339Millis:
			return true
		case strfmt.RFC3339Micro, strfmt.RFC3339MicroNoColon:
		default:
			return false
		}
	}
	return false
}

// fastTypes caches, per decoding target type *T, the pointer type to T's
// mirror (see mirrorBuilder), or nil when T has no strfmt.DateTime that can
// be mirrored.
var fastTypes sync.Map // reflect.Type -> reflect.Type (nil interface: none)

// withFastDateTimes returns v (a pointer) seen as a pointer to a mirror of
// its type in which strfmt.DateTime values are fastDateTime, or v itself
// when there is no such mirror. The mirror has the same memory layout
// (checked field by field when it is built), so decoding into it fills v.
func withFastDateTimes(v any) any {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return v
	}
	m, ok := fastTypes.Load(t)
	if !ok {
		mb := mirrorBuilder{inProgress: map[reflect.Type]bool{}, done: map[reflect.Type]reflect.Type{}}
		var mt reflect.Type
		if e := mb.mirror(t.Elem()); e != nil {
			mt = reflect.PointerTo(e)
		}
		m, _ = fastTypes.LoadOrStore(t, mt)
	}
	mt, _ := m.(reflect.Type)
	rv := reflect.ValueOf(v)
	if mt == nil || rv.IsNil() {
		return v
	}
	return reflect.NewAt(mt.Elem(), rv.UnsafePointer()).Interface()
}

// mirrorBuilder builds mirror types: a type that holds strfmt.DateTime
// values (directly, through pointers, slices or struct fields) is rebuilt
// with fastDateTime in their place. Only what encoding/json decodes by
// reflection is rebuilt: a type with its own UnmarshalJSON/UnmarshalText, a
// struct with unexported or embedded fields, maps, arrays and recursive
// references are kept as they are (their timestamps take strfmt's path).
type mirrorBuilder struct {
	inProgress map[reflect.Type]bool
	done       map[reflect.Type]reflect.Type
}

// mirror returns t's mirror, or nil when t is kept as it is.
func (mb *mirrorBuilder) mirror(t reflect.Type) reflect.Type {
	if t == dateTimeType {
		return fastDateTimeType
	}
	if m, ok := mb.done[t]; ok {
		return m
	}
	if mb.inProgress[t] || decodesItself(t) {
		return nil
	}
	mb.inProgress[t] = true
	var m reflect.Type
	switch t.Kind() {
	case reflect.Pointer:
		if e := mb.mirror(t.Elem()); e != nil {
			m = reflect.PointerTo(e)
		}
	case reflect.Slice:
		if e := mb.mirror(t.Elem()); e != nil {
			m = reflect.SliceOf(e)
		}
	case reflect.Struct:
		m = mb.mirrorStruct(t)
	}
	delete(mb.inProgress, t)
	mb.done[t] = m
	return m
}

func (mb *mirrorBuilder) mirrorStruct(t reflect.Type) (m reflect.Type) {
	fields := make([]reflect.StructField, t.NumField())
	changed := false
	for i := range fields {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous {
			return nil
		}
		ft := f.Type
		if mf := mb.mirror(ft); mf != nil {
			ft, changed = mf, true
		}
		fields[i] = reflect.StructField{Name: f.Name, Type: ft, Tag: f.Tag}
	}
	if !changed {
		return nil
	}
	defer func() {
		if recover() != nil {
			m = nil // a struct reflect.StructOf cannot build: keep t
		}
	}()
	m = reflect.StructOf(fields)
	if m.Size() != t.Size() || m.Align() != t.Align() {
		return nil
	}
	for i := range fields {
		f, mf := t.Field(i), m.Field(i)
		if f.Offset != mf.Offset || f.Type.Size() != mf.Type.Size() || f.Type.Kind() != mf.Type.Kind() {
			return nil
		}
	}
	return m
}
