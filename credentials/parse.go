package credentials

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// utf8BOM is skipped at the start of the data: some editors on Windows add it.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Parse decodes a credentials file's content. source names the data in errors
// (Load passes the file path); it may be empty.
//
// Parse accepts the files written by the Python harborapi library (every
// robot field, unset ones as null), by Harbor's web UI "Export to file" (the
// answer of robot creation or of a secret refresh, possibly with the legacy
// "permissionScope" field) and by [Save]. Only "name" and "secret" are
// required; unknown fields are kept in Extra. Timestamps may be RFC 3339 with
// or without a time zone (no zone means UTC), with a "T" or a space between
// date and time. Integers written as 1.0 or 1e3 are accepted.
//
// Errors are [*Error] values: [ErrSyntax] for invalid JSON (with Line and
// Column) or a top-level value that is not an object, [ErrFieldType] for a
// field of the wrong JSON type or an invalid value (naming the field), and
// [ErrMissingField] when name or secret is missing, null or empty. Errors
// never quote the data.
func Parse(data []byte, source string) (*Credentials, error) {
	bomLen := 0
	if bytes.HasPrefix(data, utf8BOM) {
		data = data[len(utf8BOM):]
		bomLen = len(utf8BOM)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Path: source, Msg: "invalid JSON: file is empty", Err: ErrSyntax}
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := position(data, se)
			if line == 1 {
				col += bomLen
			}
			return nil, &Error{Path: source, Line: line, Column: col,
				Msg: "invalid JSON: " + syntaxMessage(se.Error()), Err: ErrSyntax}
		}
		return nil, &Error{Path: source,
			Msg: "invalid JSON: the top-level value must be an object, got " + jsonKind(data), Err: ErrSyntax}
	}
	if top == nil { // the top-level value is null
		return nil, &Error{Path: source,
			Msg: "invalid JSON: the top-level value must be an object, got null", Err: ErrSyntax}
	}
	d := decoder{source: source}
	c := &Credentials{}
	var err error
	if c.ID, err = d.integer(keyID, top[keyID]); err != nil {
		return nil, err
	}
	if c.Name, err = d.required(keyName, top); err != nil {
		return nil, err
	}
	if c.Description, err = d.optString(keyDescription, top[keyDescription]); err != nil {
		return nil, err
	}
	secret, err := d.required(keySecret, top)
	if err != nil {
		return nil, err
	}
	if secret == Redacted {
		return nil, &Error{Path: source, Field: keySecret,
			Msg: "holds the redaction placeholder " + Redacted + ", not a secret (was the file written with encoding/json instead of Save?)",
			Err: ErrFieldType}
	}
	c.Secret = NewSecret(secret)
	if c.Level, err = d.optString(keyLevel, top[keyLevel]); err != nil {
		return nil, err
	}
	if c.Duration, err = d.integer(keyDuration, top[keyDuration]); err != nil {
		return nil, err
	}
	if c.Editable, err = d.boolean(keyEditable, top[keyEditable]); err != nil {
		return nil, err
	}
	if c.Disable, err = d.boolean(keyDisable, top[keyDisable]); err != nil {
		return nil, err
	}
	if c.ExpiresAt, err = d.integer(keyExpiresAt, top[keyExpiresAt]); err != nil {
		return nil, err
	}
	if c.Permissions, err = d.permissions(top[keyPermissions]); err != nil {
		return nil, err
	}
	if c.CreationTime, err = d.timestamp(keyCreationTime, top[keyCreationTime]); err != nil {
		return nil, err
	}
	if c.UpdateTime, err = d.timestamp(keyUpdateTime, top[keyUpdateTime]); err != nil {
		return nil, err
	}
	c.Extra = extraFields(top, credentialsKeys)
	return c, nil
}

// position returns the 1-based line and byte column of a syntax error.
func position(data []byte, se *json.SyntaxError) (line, col int) {
	p := int(se.Offset) - 1 // the offending byte
	if se.Error() == "unexpected end of JSON input" {
		p = len(bytes.TrimRight(data, " \t\r\n"))
	}
	p = max(0, min(p, len(data)))
	line = 1 + bytes.Count(data[:p], []byte{'\n'})
	col = p - bytes.LastIndexByte(data[:p], '\n')
	return line, col
}

// syntaxMessage returns encoding/json's syntax error text without the
// offending character, which could be part of the secret: "invalid character
// 'x' looking for ..." becomes "invalid character looking for ...".
func syntaxMessage(msg string) string {
	const prefix = "invalid character "
	rest, ok := strings.CutPrefix(msg, prefix)
	if !ok || !strings.HasPrefix(rest, "'") {
		return msg
	}
	if strings.HasPrefix(rest, `'\''`) {
		rest = rest[len(`'\''`):]
	} else if i := strings.IndexByte(rest[1:], '\''); i >= 0 {
		rest = rest[i+2:]
	} else {
		return "invalid character"
	}
	return "invalid character" + rest
}

// jsonKind names the JSON type of a valid JSON value.
func jsonKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

// isNull reports whether raw is absent or JSON null.
func isNull(raw json.RawMessage) bool {
	return raw == nil || string(bytes.TrimSpace(raw)) == "null"
}

// decoder decodes fields of already-validated JSON, building errors that name
// the source and the field and never quote the value.
type decoder struct {
	source string
}

func (d decoder) typeError(field, want string, raw json.RawMessage) error {
	return &Error{Path: d.source, Field: field,
		Msg: "must be " + want + ", got " + jsonKind(raw), Err: ErrFieldType}
}

// required decodes a required non-empty string field of obj.
func (d decoder) required(field string, obj map[string]json.RawMessage) (string, error) {
	raw, ok := obj[field]
	if !ok {
		return "", &Error{Path: d.source, Field: field, Msg: "required field is missing", Err: ErrMissingField}
	}
	if isNull(raw) {
		return "", &Error{Path: d.source, Field: field, Msg: "required field is null", Err: ErrMissingField}
	}
	var s string
	if jsonKind(raw) != "string" || json.Unmarshal(raw, &s) != nil {
		return "", d.typeError(field, "a string", raw)
	}
	if s == "" {
		return "", &Error{Path: d.source, Field: field, Msg: "required field is empty", Err: ErrMissingField}
	}
	if !validJSONText(raw) {
		// encoding/json replaced the bad bytes with U+FFFD: the value read
		// is not the one written and could never authenticate.
		return "", &Error{Path: d.source, Field: field,
			Msg: "is not valid UTF-8 (invalid bytes or an unpaired \\u surrogate escape)", Err: ErrFieldType}
	}
	return s, nil
}

// validJSONText reports whether the JSON string literal raw (already known to
// be valid JSON) decodes without encoding/json replacing anything by U+FFFD:
// its bytes are valid UTF-8 and every \u escape of a UTF-16 surrogate is half
// of a pair.
func validJSONText(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		i++ // the escaped character
		if i >= len(raw) || raw[i] != 'u' {
			continue
		}
		r, ok := hex4(raw, i+1)
		if !ok {
			return false
		}
		i += 4
		switch {
		case r >= 0xDC00 && r <= 0xDFFF: // a low surrogate alone
			return false
		case r >= 0xD800 && r <= 0xDBFF: // a high surrogate needs a low one
			if i+2 >= len(raw) || raw[i+1] != '\\' || raw[i+2] != 'u' {
				return false
			}
			lo, ok := hex4(raw, i+3)
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return false
			}
			i += 6
		}
	}
	return true
}

// hex4 decodes the four hexadecimal digits of a \u escape at raw[i:].
func hex4(raw []byte, i int) (rune, bool) {
	if i+4 > len(raw) {
		return 0, false
	}
	var r rune
	for _, c := range raw[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// str decodes a string or null; null and absent give "".
func (d decoder) str(field string, raw json.RawMessage) (string, error) {
	p, err := d.optString(field, raw)
	if p == nil {
		return "", err
	}
	return *p, err
}

func (d decoder) optString(field string, raw json.RawMessage) (*string, error) {
	if isNull(raw) {
		return nil, nil
	}
	var s string
	if jsonKind(raw) != "string" || json.Unmarshal(raw, &s) != nil {
		return nil, d.typeError(field, "a string or null", raw)
	}
	return &s, nil
}

func (d decoder) integer(field string, raw json.RawMessage) (*int64, error) {
	if isNull(raw) {
		return nil, nil
	}
	if jsonKind(raw) != "number" {
		return nil, d.typeError(field, "an integer or null", raw)
	}
	lit := string(bytes.TrimSpace(raw))
	if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
		return &n, nil
	}
	// Accept integral values written as 1.0 or 1e3, as Python does.
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return nil, &Error{Path: d.source, Field: field,
			Msg: "must be an integer or null, got a number that is not a 64-bit integer", Err: ErrFieldType}
	}
	n := int64(f)
	return &n, nil
}

func (d decoder) boolean(field string, raw json.RawMessage) (*bool, error) {
	if isNull(raw) {
		return nil, nil
	}
	var b bool
	if jsonKind(raw) != "boolean" || json.Unmarshal(raw, &b) != nil {
		return nil, d.typeError(field, "a boolean or null", raw)
	}
	return &b, nil
}

// timeLayouts are the timestamp forms accepted, in order. Layouts without a
// zone are read as UTC. Fractional seconds of any length are accepted by all.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
}

func (d decoder) timestamp(field string, raw json.RawMessage) (*time.Time, error) {
	s, err := d.optString(field, raw)
	if err != nil {
		return nil, d.typeError(field, "an RFC 3339 timestamp string or null", raw)
	}
	if s == nil {
		return nil, nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, *s); err == nil {
			return &t, nil
		}
	}
	return nil, &Error{Path: d.source, Field: field,
		Msg: "must be an RFC 3339 timestamp such as 2006-01-02T15:04:05Z, or null", Err: ErrFieldType}
}

// array decodes a JSON array or null into its elements.
func (d decoder) array(field string, raw json.RawMessage) ([]json.RawMessage, bool, error) {
	if isNull(raw) {
		return nil, false, nil
	}
	var elems []json.RawMessage
	if jsonKind(raw) != "array" || json.Unmarshal(raw, &elems) != nil {
		return nil, false, d.typeError(field, "an array or null", raw)
	}
	return elems, true, nil
}

// object decodes a JSON object (not null).
func (d decoder) object(field string, raw json.RawMessage) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if jsonKind(raw) != "object" || json.Unmarshal(raw, &obj) != nil {
		return nil, d.typeError(field, "an object", raw)
	}
	return obj, nil
}

func (d decoder) permissions(raw json.RawMessage) ([]Permission, error) {
	elems, ok, err := d.array(keyPermissions, raw)
	if err != nil || !ok {
		return nil, err
	}
	perms := make([]Permission, 0, len(elems))
	for i, elem := range elems {
		field := keyPermissions + "[" + strconv.Itoa(i) + "]"
		obj, err := d.object(field, elem)
		if err != nil {
			return nil, err
		}
		var p Permission
		if p.Kind, err = d.str(field+"."+keyKind, obj[keyKind]); err != nil {
			return nil, err
		}
		if p.Namespace, err = d.str(field+"."+keyNamespace, obj[keyNamespace]); err != nil {
			return nil, err
		}
		if p.Access, err = d.access(field+"."+keyAccess, obj[keyAccess]); err != nil {
			return nil, err
		}
		p.Extra = extraFields(obj, permissionKeys)
		perms = append(perms, p)
	}
	return perms, nil
}

func (d decoder) access(field string, raw json.RawMessage) ([]Access, error) {
	elems, ok, err := d.array(field, raw)
	if err != nil || !ok {
		return nil, err
	}
	list := make([]Access, 0, len(elems))
	for i, elem := range elems {
		f := field + "[" + strconv.Itoa(i) + "]"
		obj, err := d.object(f, elem)
		if err != nil {
			return nil, err
		}
		var a Access
		if a.Resource, err = d.str(f+"."+keyResource, obj[keyResource]); err != nil {
			return nil, err
		}
		if a.Action, err = d.str(f+"."+keyAction, obj[keyAction]); err != nil {
			return nil, err
		}
		if a.Effect, err = d.str(f+"."+keyEffect, obj[keyEffect]); err != nil {
			return nil, err
		}
		a.Extra = extraFields(obj, accessKeys)
		list = append(list, a)
	}
	return list, nil
}

// extraFields returns the fields of obj whose keys are not known, compacted;
// nil if there are none.
func extraFields(obj map[string]json.RawMessage, known map[string]bool) map[string]json.RawMessage {
	var extra map[string]json.RawMessage
	for k, v := range obj {
		if known[k] {
			continue
		}
		if extra == nil {
			extra = make(map[string]json.RawMessage)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, v); err != nil {
			buf.Reset()
			buf.Write(v) // cannot happen: v comes from valid JSON
		}
		extra[k] = json.RawMessage(buf.Bytes())
	}
	return extra
}
