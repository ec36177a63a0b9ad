package credentials

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Encode returns the credentials file content that [Save] writes: a JSON
// object indented by four spaces, with a final newline, as harborapi writes
// it. It holds the real secret.
//
// The known fields come first, in harborapi's order (id, name, description,
// secret, level, duration, editable, disable, expires_at, permissions,
// creation_time, update_time), nil ones as null; then the Extra fields,
// sorted by key. Timestamps are written in RFC 3339 with nanosecond
// precision as needed. In permissions, empty strings and nil access lists
// are left out.
//
// Errors are [*Error] values: [ErrMissingField] if the name or the secret is
// empty, [ErrInvalid] if c is nil, the name or secret is not valid UTF-8,
// the secret is the "[REDACTED]" placeholder, an Extra key is the name of a
// known field, an Extra value is not valid JSON, or a timestamp's year is
// outside 0 to 9999.
func Encode(c *Credentials) ([]byte, error) {
	return encode(c, "")
}

// encode is Encode with path to name in errors.
func encode(c *Credentials, path string) ([]byte, error) {
	if err := validate(c, path); err != nil {
		return nil, err
	}
	e := encoder{path: path}
	e.buf.WriteByte('{')
	e.field(keyID, optInt(c.ID))
	e.field(keyName, jsonString(c.Name))
	e.field(keyDescription, optString(c.Description))
	e.field(keySecret, jsonString(c.Secret.Reveal()))
	e.field(keyLevel, optString(c.Level))
	e.field(keyDuration, optInt(c.Duration))
	e.field(keyEditable, optBool(c.Editable))
	e.field(keyDisable, optBool(c.Disable))
	e.field(keyExpiresAt, optInt(c.ExpiresAt))
	e.permissions(c.Permissions)
	e.timestamp(keyCreationTime, c.CreationTime)
	e.timestamp(keyUpdateTime, c.UpdateTime)
	e.extra("", c.Extra, credentialsKeys)
	e.buf.WriteByte('}')
	if e.err != nil {
		return nil, e.err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, e.buf.Bytes(), "", "    "); err != nil {
		// Cannot happen: every part was produced or checked as valid JSON.
		return nil, &Error{Path: path, Msg: "internal error: produced invalid JSON", Err: ErrInvalid}
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// validate checks what Save and Encode require, before anything is written.
func validate(c *Credentials, path string) error {
	if c == nil {
		return &Error{Path: path, Msg: "no credentials to save (nil)", Err: ErrInvalid}
	}
	if c.Name == "" {
		return &Error{Path: path, Field: keyName, Msg: "required field is empty", Err: ErrMissingField}
	}
	if !utf8.ValidString(c.Name) {
		return &Error{Path: path, Field: keyName, Msg: "is not valid UTF-8", Err: ErrInvalid}
	}
	if c.Secret.IsZero() {
		return &Error{Path: path, Field: keySecret, Msg: "required field is empty", Err: ErrMissingField}
	}
	if !utf8.ValidString(c.Secret.Reveal()) {
		return &Error{Path: path, Field: keySecret, Msg: "is not valid UTF-8", Err: ErrInvalid}
	}
	if c.Secret.Reveal() == Redacted {
		return &Error{Path: path, Field: keySecret,
			Msg: "holds the redaction placeholder " + Redacted + ", not a secret", Err: ErrInvalid}
	}
	return nil
}

// encoder builds the compact JSON object; the first error sticks.
type encoder struct {
	path  string
	buf   bytes.Buffer
	n     int // fields written in the current object
	err   error
	stack []int
}

func (e *encoder) key(k string) {
	if e.n > 0 {
		e.buf.WriteByte(',')
	}
	e.n++
	e.buf.Write(jsonString(k))
	e.buf.WriteByte(':')
}

func (e *encoder) field(k string, value []byte) {
	e.key(k)
	e.buf.Write(value)
}

func (e *encoder) open(b byte) {
	e.buf.WriteByte(b)
	e.stack = append(e.stack, e.n)
	e.n = 0
}

func (e *encoder) close(b byte) {
	e.buf.WriteByte(b)
	e.n = e.stack[len(e.stack)-1]
	e.stack = e.stack[:len(e.stack)-1]
}

func (e *encoder) fail(field, msg string) {
	if e.err == nil {
		e.err = &Error{Path: e.path, Field: field, Msg: msg, Err: ErrInvalid}
	}
}

func (e *encoder) timestamp(k string, t *time.Time) {
	if t == nil {
		e.field(k, []byte("null"))
		return
	}
	b, err := t.MarshalJSON()
	if err != nil {
		e.fail(k, "cannot be written: the year is outside 0 to 9999")
		b = []byte("null")
	}
	e.field(k, b)
}

func (e *encoder) permissions(perms []Permission) {
	e.key(keyPermissions)
	if perms == nil {
		e.buf.WriteString("null")
		return
	}
	e.open('[')
	for i, p := range perms {
		field := keyPermissions + "[" + strconv.Itoa(i) + "]"
		if e.n > 0 {
			e.buf.WriteByte(',')
		}
		e.n++
		e.open('{')
		e.nonEmpty(keyKind, p.Kind)
		e.nonEmpty(keyNamespace, p.Namespace)
		if p.Access != nil {
			e.key(keyAccess)
			e.open('[')
			for j, a := range p.Access {
				if e.n > 0 {
					e.buf.WriteByte(',')
				}
				e.n++
				e.open('{')
				e.nonEmpty(keyResource, a.Resource)
				e.nonEmpty(keyAction, a.Action)
				e.nonEmpty(keyEffect, a.Effect)
				e.extra(field+"."+keyAccess+"["+strconv.Itoa(j)+"]", a.Extra, accessKeys)
				e.close('}')
			}
			e.close(']')
		}
		e.extra(field, p.Extra, permissionKeys)
		e.close('}')
	}
	e.close(']')
}

func (e *encoder) nonEmpty(k, v string) {
	if v != "" {
		e.field(k, jsonString(v))
	}
}

// extra writes the unknown fields of an object, sorted by key. prefix is the
// object's field path, "" for the top level.
func (e *encoder) extra(prefix string, extra map[string]json.RawMessage, known map[string]bool) {
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		field := k
		if prefix != "" {
			field = prefix + "." + k
		}
		if known[k] {
			e.fail(field, "is set in Extra but is a known field; set the struct field instead")
			continue
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, extra[k]); err != nil || len(extra[k]) == 0 {
			e.fail(field, "Extra value is not valid JSON")
			continue
		}
		e.field(k, buf.Bytes())
	}
}

// jsonString encodes s as a JSON string without HTML escaping.
func jsonString(s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})
}

func optString(p *string) []byte {
	if p == nil {
		return []byte("null")
	}
	return jsonString(*p)
}

func optInt(p *int64) []byte {
	if p == nil {
		return []byte("null")
	}
	return strconv.AppendInt(nil, *p, 10)
}

func optBool(p *bool) []byte {
	if p == nil {
		return []byte("null")
	}
	return strconv.AppendBool(nil, *p)
}
