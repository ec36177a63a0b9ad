package credentials

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Parse decodes a credentials file's content; source names it in errors and
// may be empty. It accepts the formats and leniencies of docs/credentials.md,
// and refuses with [ErrSyntax] (with Line and Column), [ErrFieldType] or
// [ErrMissingField] (name or secret missing, null or empty).
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
	if secret := d.required("secret", top); secret == Redacted {
		d.fail("secret", "holds the redaction placeholder "+Redacted+", not a secret (was the file copied from printed or logged output?)")
	} else {
		c.Secret = NewSecret(secret)
	}
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

// syntaxError describes data that is not a JSON object, with the position
// of a syntax error and without the offending character, which could be
// part of the secret.
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

// decoder decodes the fields of a JSON object read as a map, so that keys
// match exactly (encoding/json matches struct fields in any case); the first
// error sticks, naming the field and never quoting the value.
type decoder struct {
	source string
	err    error
}

func (d *decoder) fail(field, msg string) {
	if d.err == nil {
		d.err = &Error{Path: d.source, Field: field, Msg: msg, Err: ErrFieldType}
	}
}

// value decodes raw, a JSON value of kind, into dst; absent and null leave
// dst unchanged.
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
	missing := ""
	switch {
	case d.err != nil:
		return ""
	case !ok:
		missing = "missing"
	case s == nil:
		missing = "null"
	case *s == "":
		missing = "empty"
	case replaced(raw, *s): // what was read is not what was written
		d.fail(field, "is not valid UTF-8 (invalid bytes or an unpaired \\u surrogate escape)")
		return ""
	default:
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

// timeLayouts are the timestamp forms accepted; those without a zone are
// UTC. All accept fractional seconds of any length.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"}

func (d *decoder) timestamp(field string, raw json.RawMessage) *time.Time {
	var s *string
	if d.value(field, raw, "string", "an RFC 3339 timestamp string or null", &s); s == nil {
		return nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, *s); err == nil {
			return &t
		}
	}
	d.fail(field, "must be an RFC 3339 timestamp such as 2006-01-02T15:04:05Z, or null")
	return nil
}

// objects decodes an array (or null: nil) of objects.
func (d *decoder) objects(field string, raw json.RawMessage) []map[string]json.RawMessage {
	var elems []json.RawMessage
	d.value(field, raw, "array", "an array or null", &elems)
	if elems == nil {
		return nil
	}
	objs := make([]map[string]json.RawMessage, len(elems))
	for i, elem := range elems {
		if d.err == nil && (jsonKind(elem) != "object" || json.Unmarshal(elem, &objs[i]) != nil) {
			d.fail(field+"["+strconv.Itoa(i)+"]", "must be an object, got "+jsonKind(elem))
		}
	}
	return objs
}

func (d *decoder) permissions(raw json.RawMessage) []Permission {
	objs := d.objects("permissions", raw)
	if objs == nil {
		return nil
	}
	perms := make([]Permission, len(objs))
	for i, obj := range objs {
		f := "permissions[" + strconv.Itoa(i) + "]."
		p := &perms[i]
		d.value(f+"kind", obj["kind"], "string", "a string or null", &p.Kind)
		d.value(f+"namespace", obj["namespace"], "string", "a string or null", &p.Namespace)
		if access := d.objects(f+"access", obj["access"]); access != nil {
			p.Access = make([]Access, len(access))
			for j, obj := range access {
				f := f + "access[" + strconv.Itoa(j) + "]."
				a := &p.Access[j]
				d.value(f+"resource", obj["resource"], "string", "a string or null", &a.Resource)
				d.value(f+"action", obj["action"], "string", "a string or null", &a.Action)
				d.value(f+"effect", obj["effect"], "string", "a string or null", &a.Effect)
				a.Extra = extraFields(obj, accessKeys)
			}
		}
		p.Extra = extraFields(obj, permissionKeys)
	}
	return perms
}

// The JSON keys of each type's fields.
var (
	credentialsKeys = []string{"id", "name", "description", "secret", "level", "duration", "editable",
		"disable", "expires_at", "permissions", "creation_time", "update_time"}
	permissionKeys = []string{"kind", "namespace", "access"}
	accessKeys     = []string{"resource", "action", "effect"}
)

// extraFields returns the fields of obj whose keys are not known, compacted;
// nil if there are none.
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
