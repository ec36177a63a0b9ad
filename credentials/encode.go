package credentials

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Encode returns what [Save] writes, the real secret included: JSON indented
// as harborapi writes it, the known fields in harborapi's order, then Extra's
// sorted by key. It refuses nil, an empty or non-UTF-8 name or secret, the
// [Redacted] placeholder, a bad Extra field and a timestamp whose year is
// outside 0 to 9999.
func Encode(c *Credentials) ([]byte, error) { return encode(c, "") }

// fileCredentials is what encoding/json writes: harborapi's order, the secret.
type fileCredentials struct {
	ID           *int64       `json:"id"`
	Name         string       `json:"name"`
	Description  *string      `json:"description"`
	Secret       string       `json:"secret"`
	Level        *string      `json:"level"`
	Duration     *int64       `json:"duration"`
	Editable     *bool        `json:"editable"`
	Disable      *bool        `json:"disable"`
	ExpiresAt    *int64       `json:"expires_at"`
	Permissions  []Permission `json:"permissions"`
	CreationTime *time.Time   `json:"creation_time"`
	UpdateTime   *time.Time   `json:"update_time"`
}

// encode is Encode with path to name in errors.
func encode(c *Credentials, path string) ([]byte, error) {
	if err := validate(c, path); err != nil {
		return nil, err
	}
	b, err := withExtra(fileCredentials{c.ID, c.Name, c.Description, c.Secret.Reveal(), c.Level, c.Duration,
		c.Editable, c.Disable, c.ExpiresAt, c.Permissions, c.CreationTime, c.UpdateTime}, c.Extra)
	var out bytes.Buffer
	if err != nil || json.Indent(&out, b, "", "    ") != nil {
		// Cannot happen: validate checked every part that could fail.
		return nil, &Error{Path: path, Msg: "internal error: cannot encode the credentials", Err: ErrInvalid}
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// validate checks what Save and Encode require.
func validate(c *Credentials, path string) error {
	invalid := func(field, msg string) error { return &Error{Path: path, Field: field, Msg: msg, Err: ErrInvalid} }
	switch {
	case c == nil:
		return &Error{Path: path, Msg: "no credentials to save (nil)", Err: ErrInvalid}
	case c.Name == "":
		return &Error{Path: path, Field: "name", Msg: "required field is empty", Err: ErrMissingField}
	case !utf8.ValidString(c.Name):
		return invalid("name", "is not valid UTF-8")
	case c.Secret.IsZero():
		return &Error{Path: path, Field: "secret", Msg: "required field is empty", Err: ErrMissingField}
	case !utf8.ValidString(c.Secret.Reveal()):
		return invalid("secret", "is not valid UTF-8")
	case c.Secret.Reveal() == Redacted:
		return invalid("secret", "holds the redaction placeholder "+Redacted+", not a secret")
	}
	for i, t := range []*time.Time{c.CreationTime, c.UpdateTime} {
		if t == nil {
			continue
		}
		if _, err := t.MarshalJSON(); err != nil {
			return invalid([]string{"creation_time", "update_time"}[i], "cannot be written: the year is outside 0 to 9999")
		}
	}
	// An Extra key must not be a known field's, and its value must be JSON.
	var err error
	checkExtra := func(prefix string, extra map[string]json.RawMessage, known []string) {
		for _, k := range slices.Sorted(maps.Keys(extra)) {
			if err == nil && slices.Contains(known, k) {
				err = invalid(prefix+k, "is set in Extra but is a known field; set the struct field instead")
			} else if err == nil && !json.Valid(extra[k]) {
				err = invalid(prefix+k, "Extra value is not valid JSON")
			}
		}
	}
	checkExtra("", c.Extra, credentialsKeys)
	for i, p := range c.Permissions {
		f := "permissions[" + strconv.Itoa(i) + "]."
		checkExtra(f, p.Extra, permissionKeys)
		for j, a := range p.Access {
			checkExtra(f+"access["+strconv.Itoa(j)+"].", a.Extra, accessKeys)
		}
	}
	return err
}

// MarshalJSON writes the permission as a credentials file holds it: "" and
// a nil access list left out, then the Extra fields, sorted by key.
func (p Permission) MarshalJSON() ([]byte, error) {
	type plain Permission // without this method
	return withExtra(plain(p), p.Extra)
}

// MarshalJSON writes the access as a credentials file holds it: "" left
// out, then the Extra fields, sorted by key.
func (a Access) MarshalJSON() ([]byte, error) {
	type plain Access
	return withExtra(plain(a), a.Extra)
}

// withExtra encodes v, a struct, as a JSON object without HTML escaping (as
// harborapi writes), followed by the extra fields, compacted, sorted by key.
func withExtra(v any, extra map[string]json.RawMessage) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.Truncate(buf.Len() - len("}\n"))
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		if buf.Bytes()[buf.Len()-1] != '{' {
			buf.WriteByte(',')
		}
		if err := enc.Encode(k); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		buf.WriteByte(':')
		if err := json.Compact(&buf, extra[k]); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
