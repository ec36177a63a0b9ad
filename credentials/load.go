package credentials

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxFileSize is the largest file Load reads (real ones are a few kilobytes).
const MaxFileSize = 1 << 20

// Load reads the credentials file at path (see [Parse]), following symbolic
// links. It refuses an empty path, directories, other non-regular files and
// files over [MaxFileSize].
func Load(path string) (*Credentials, error) {
	if path == "" {
		return nil, &Error{Msg: "empty path", Err: ErrInvalid}
	}
	fi, err := os.Stat(path) // before opening: opening a named pipe would block
	if err != nil {
		return nil, fileError(path, "cannot read credentials file", err)
	}
	if err := checkRegular(path, fi.Mode()); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	var data []byte
	if err == nil {
		defer f.Close()
		data, err = io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	}
	if err != nil {
		return nil, fileError(path, "cannot read credentials file", err)
	}
	if len(data) > MaxFileSize {
		return nil, &Error{Path: path,
			Msg: "file is larger than " + strconv.Itoa(MaxFileSize) + " bytes; not a credentials file", Err: ErrTooLarge}
	}
	return Parse(data, path)
}

// checkRegular refuses directories, symbolic links and other non-regular
// files.
func checkRegular(path string, mode os.FileMode) error {
	switch {
	case mode.IsRegular():
		return nil
	case mode.IsDir():
		return &Error{Path: path, Msg: "is a directory, not a credentials file", Err: ErrIsDir}
	case mode&os.ModeSymlink != 0:
		return &Error{Path: path, Msg: "is a symbolic link; refusing to write through it (give the link's target instead)", Err: ErrSymlink}
	}
	return &Error{Path: path, Msg: "is not a regular file (" + mode.Type().String() + ")", Err: ErrNotRegular}
}

// Parse decodes a credentials file's content (formats: docs/credentials.md);
// source names it in errors. Errors: [ErrSyntax] (with Line and Column),
// [ErrFieldType], [ErrMissingField] (name or secret missing, null or empty).
func Parse(data []byte, source string) (*Credentials, error) {
	data, bom := bytes.CutPrefix(data, []byte("\uFEFF")) // some Windows editors add it
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil || top == nil {
		return nil, syntaxError(source, data, bom, err)
	}
	d := &decoder{source: source}
	c := &Credentials{Extra: extraFields(top, credentialsKeys)}
	c.ID = d.integer("id", top["id"])
	c.Name = d.required("name", top)
	d.value("description", top["description"], "string", "a string or null", &c.Description)
	secret := d.required("secret", top)
	if secret == Redacted {
		d.fail("secret", "holds the redaction placeholder "+Redacted+", not a secret (was the file copied from printed or logged output?)")
	}
	c.Secret = NewSecret(secret)
	d.value("level", top["level"], "string", "a string or null", &c.Level)
	c.Duration = d.integer("duration", top["duration"])
	d.value("editable", top["editable"], "boolean", "a boolean or null", &c.Editable)
	d.value("disable", top["disable"], "boolean", "a boolean or null", &c.Disable)
	c.ExpiresAt = d.integer("expires_at", top["expires_at"])
	c.Permissions = d.permissions(top["permissions"])
	c.CreationTime = d.timestamp("creation_time", top["creation_time"])
	c.UpdateTime = d.timestamp("update_time", top["update_time"])
	if d.err != nil {
		return nil, d.err
	}
	return c, nil
}

// syntaxError describes data that is not a JSON object, with the position of
// a syntax error but not the offending character (it may be the secret's).
func syntaxError(source string, data []byte, bom bool, err error) *Error {
	e := &Error{Path: source, Msg: "invalid JSON: the top-level value must be an object, got " + jsonKind(data), Err: ErrSyntax}
	var se *json.SyntaxError
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		e.Msg = "invalid JSON: file is empty"
	case errors.As(err, &se):
		p := int(se.Offset) - 1 // the offending byte
		if se.Error() == "unexpected end of JSON input" {
			p = len(bytes.TrimRight(data, " \t\r\n"))
		}
		p = max(0, min(p, len(data)))
		e.Line, e.Column = 1+bytes.Count(data[:p], []byte{'\n'}), p-bytes.LastIndexByte(data[:p], '\n')
		if bom && e.Line == 1 {
			e.Column += 3
		}
		e.Msg = "invalid JSON: " + syntaxMessage(se.Error())
	}
	return e
}

// syntaxMessage drops the quoted character from encoding/json's "invalid
// character 'x' looking for ..." texts.
func syntaxMessage(msg string) string {
	rest, ok := strings.CutPrefix(msg, "invalid character '")
	if !ok {
		return msg
	}
	_, after, _ := strings.Cut(rest, "' ")
	return strings.TrimSuffix("invalid character "+after, " ")
}

// jsonKind names the JSON type of a valid JSON value.
func jsonKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	kinds := map[byte]string{'"': "string", '{': "object", '[': "array", 't': "boolean", 'f': "boolean", 'n': "null"}
	return cmp.Or(kinds[raw[0]], "number")
}

// replaced reports whether encoding/json, decoding the JSON string raw to s,
// replaced invalid UTF-8 or an unpaired \u surrogate escape by U+FFFD: s
// then holds more U+FFFD than raw wrote, as itself or as \ufffd.
func replaced(raw []byte, s string) bool {
	written := bytes.Count(raw, []byte("\uFFFD"))
	for i := 0; i+1 < len(raw); i++ {
		if raw[i] == '\\' {
			if i++; raw[i] == 'u' && strings.EqualFold(string(raw[i+1:min(i+5, len(raw))]), "fffd") {
				written++
			}
		}
	}
	return !utf8.Valid(raw) || strings.Count(s, "\uFFFD") != written
}

// decoder decodes fields of objects read as maps, whose keys match exactly
// (unlike struct fields); the first error sticks.
type decoder struct {
	source string
	err    error
}

func (d *decoder) fail(field, msg string) {
	if d.err == nil {
		d.err = &Error{Path: d.source, Field: field, Msg: msg, Err: ErrFieldType}
	}
}

// value decodes raw, of JSON type kind, into dst unless absent or null.
func (d *decoder) value(field string, raw json.RawMessage, kind, want string, dst any) {
	if d.err != nil || raw == nil || jsonKind(raw) == "null" {
		return
	}
	if jsonKind(raw) != kind || json.Unmarshal(raw, dst) != nil {
		d.fail(field, "must be "+want+", got "+jsonKind(raw))
	}
}

// required decodes a required non-empty string field of obj.
func (d *decoder) required(field string, obj map[string]json.RawMessage) string {
	raw, ok := obj[field]
	var s *string
	d.value(field, raw, "string", "a string", &s)
	missing := "empty"
	switch {
	case d.err != nil:
		return ""
	case !ok:
		missing = "missing"
	case s == nil:
		missing = "null"
	case *s != "" && replaced(raw, *s): // what was read is not what was written
		d.fail(field, "is not valid UTF-8 (invalid bytes or an unpaired \\u surrogate escape)")
		return ""
	case *s != "":
		return *s
	}
	d.err = &Error{Path: d.source, Field: field, Msg: "required field is " + missing, Err: ErrMissingField}
	return ""
}

// integer decodes an integer, which Python may write as 1.0 or 1e3.
func (d *decoder) integer(field string, raw json.RawMessage) *int64 {
	var n *json.Number
	if d.value(field, raw, "number", "an integer or null", &n); n == nil {
		return nil
	}
	i, err := n.Int64()
	if err != nil {
		f, err := n.Float64()
		if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
			d.fail(field, "must be an integer or null, got a number that is not a 64-bit integer")
			return nil
		}
		i = int64(f)
	}
	return &i
}

func (d *decoder) timestamp(field string, raw json.RawMessage) *time.Time {
	var s *string
	if d.value(field, raw, "string", "an RFC 3339 timestamp string or null", &s); s == nil {
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} { // no zone: UTC
		if t, err := time.Parse(layout, *s); err == nil {
			return &t
		}
	}
	d.fail(field, "must be an RFC 3339 timestamp such as 2006-01-02T15:04:05Z, or null")
	return nil
}

func (d *decoder) permissions(raw json.RawMessage) []Permission {
	return each(d, "permissions", raw, func(f string, obj map[string]json.RawMessage) Permission {
		p := Permission{Extra: extraFields(obj, permissionKeys)}
		d.value(f+"kind", obj["kind"], "string", "a string or null", &p.Kind)
		d.value(f+"namespace", obj["namespace"], "string", "a string or null", &p.Namespace)
		p.Access = each(d, f+"access", obj["access"], func(f string, obj map[string]json.RawMessage) Access {
			a := Access{Extra: extraFields(obj, accessKeys)}
			d.value(f+"resource", obj["resource"], "string", "a string or null", &a.Resource)
			d.value(f+"action", obj["action"], "string", "a string or null", &a.Action)
			d.value(f+"effect", obj["effect"], "string", "a string or null", &a.Effect)
			return a
		})
		return p
	})
}

// each decodes an array (or null: nil) of objects with decode, which gets
// the element's field name prefix ("permissions[0].").
func each[T any](d *decoder, field string, raw json.RawMessage, decode func(string, map[string]json.RawMessage) T) []T {
	var elems []json.RawMessage
	if d.value(field, raw, "array", "an array or null", &elems); elems == nil {
		return nil
	}
	out := make([]T, len(elems))
	for i, elem := range elems {
		f := field + "[" + strconv.Itoa(i) + "]"
		var obj map[string]json.RawMessage
		if jsonKind(elem) != "object" || json.Unmarshal(elem, &obj) != nil {
			d.fail(f, "must be an object, got "+jsonKind(elem))
		}
		out[i] = decode(f+".", obj)
	}
	return out
}

// The JSON keys of each type's fields.
var (
	credentialsKeys = []string{"id", "name", "description", "secret", "level", "duration", "editable",
		"disable", "expires_at", "permissions", "creation_time", "update_time"}
	permissionKeys = []string{"kind", "namespace", "access"}
	accessKeys     = []string{"resource", "action", "effect"}
)

// extraFields returns obj's fields with unknown keys, compacted, or nil.
func extraFields(obj map[string]json.RawMessage, known []string) map[string]json.RawMessage {
	var extra map[string]json.RawMessage
	for k, v := range obj {
		if slices.Contains(known, k) {
			continue
		}
		if extra == nil {
			extra = make(map[string]json.RawMessage)
		}
		var buf bytes.Buffer
		_ = json.Compact(&buf, v) // v comes from valid JSON
		extra[k] = buf.Bytes()
	}
	return extra
}
