package credentials

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"unicode/utf8"
	"unique"
)

// Redacted is what every printed or logged form of a non-empty [Secret]
// shows instead of the secret.
const Redacted = "[REDACTED]"

// Secret holds a robot account secret, available only through
// [Secret.Reveal]. Every printer and logger shows [Redacted]; encoders refuse
// it, since a redacted copy written to a file could never log in (only [Save]
// and [Encode] write it). The zero value is the empty secret, which prints
// and encodes as "". Secrets compare with == by value. See
// docs/credentials.md for why and how.
type Secret struct {
	h unique.Handle[string] // a handle, not a *string, so that == compares values
}

// NewSecret returns a Secret holding s.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{h: unique.Make(s)}
}

// Reveal returns the raw secret, for where it is really needed, such as an
// Authorization header.
func (s Secret) Reveal() string {
	if s.IsZero() {
		return ""
	}
	return s.h.Value()
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.h == unique.Handle[string]{} }

// String returns [Redacted], or "" for the empty secret.
func (s Secret) String() string {
	if s.IsZero() {
		return ""
	}
	return Redacted
}

// GoString returns `credentials.Secret("[REDACTED]")`, for %#v.
func (s Secret) GoString() string {
	return "credentials.Secret(" + strconv.Quote(s.String()) + ")"
}

// Format implements [fmt.Formatter]: %q quotes [Secret.String], %#v is
// [Secret.GoString], every other verb prints String, padded to the width.
func (s Secret) Format(f fmt.State, verb rune) {
	out := s.String()
	switch {
	case verb == 'q':
		out = strconv.Quote(out)
	case verb == 'v' && f.Flag('#'):
		out = s.GoString()
	}
	w, _ := f.Width()
	if f.Flag('-') {
		w = -w
	}
	_, _ = fmt.Fprintf(f, "%*s", w, out)
}

// LogValue implements [slog.LogValuer]: slog records [Secret.String].
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

var errEncode = errors.New("credentials: a Secret is not encoded, since a redacted copy could never " +
	"log in: write credentials files with credentials.Save or credentials.Encode, or encode Reveal() explicitly")

// MarshalJSON refuses a non-empty secret; the empty one is "".
func (s Secret) MarshalJSON() ([]byte, error) {
	if s.IsZero() {
		return []byte(`""`), nil
	}
	return nil, errEncode
}

// MarshalText refuses a non-empty secret, for encoding/xml, YAML, TOML.
func (s Secret) MarshalText() ([]byte, error) {
	if s.IsZero() {
		return []byte{}, nil
	}
	return nil, errEncode
}

// UnmarshalJSON sets the secret from a JSON string (null leaves it
// unchanged), refusing what [Secret.UnmarshalText] refuses and \u escapes
// that are not UTF-8.
func (s *Secret) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var v string
	if json.Unmarshal(data, &v) != nil {
		return fmt.Errorf("credentials: secret must be a JSON string, got %s", jsonKind(data))
	}
	if replaced(data, v) {
		return errors.New("credentials: secret is not valid UTF-8")
	}
	return s.UnmarshalText([]byte(v))
}

// UnmarshalText sets the secret to text, refusing text that is not UTF-8 and
// the [Redacted] placeholder. Errors never quote the input.
func (s *Secret) UnmarshalText(text []byte) error {
	if !utf8.Valid(text) {
		return errors.New("credentials: secret is not valid UTF-8")
	}
	if string(text) == Redacted {
		return errors.New("credentials: secret holds the redaction placeholder " + Redacted + ", not a secret")
	}
	*s = NewSecret(string(text))
	return nil
}

var errGob = errors.New("credentials: a Secret is not gob-encoded; " +
	"send Reveal() explicitly or write a credentials file with Save")

// GobEncode refuses, as [Secret.MarshalJSON] does.
func (Secret) GobEncode() ([]byte, error) { return nil, errGob }

// GobDecode refuses too: gob never carries a Secret.
func (*Secret) GobDecode([]byte) error { return errGob }
