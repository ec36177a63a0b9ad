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

// Redacted is what every printed, logged or marshalled form of a non-empty
// [Secret] shows instead of the secret itself.
const Redacted = "[REDACTED]"

// Secret holds a robot account secret. Its value is only available through
// [Secret.Reveal]: every other way of turning it into text redacts it.
//
// A non-empty Secret prints as "[REDACTED]" with every fmt verb (%v, %+v, %#v,
// %s, %q, %x, ...), through String and GoString, through encoding/json,
// encoding/xml and encoding.TextMarshaler (so JSON, XML, YAML or TOML in logs)
// and through log/slog (LogValue). The empty Secret prints as the empty
// string (and as "" in JSON), so that a missing secret is visible without
// revealing anything. encoding/gob refuses a Secret with an error (see
// [Secret.GobEncode]).
//
// The plaintext is held behind a pointer in an unexported field, so that
// printers which do not call these methods cannot reach it either: fmt and
// log/slog's TextHandler print a Secret held in an unexported field of a
// struct (where they cannot call methods) by reflection, and show a pointer
// as an address below the top level, never what it points to; the %p verb,
// which also bypasses the methods, shows the same address. Reflection-based
// encoders see no exported field.
//
// The zero value is the empty secret. Secrets are comparable with ==, by
// value: two Secrets holding the same text are equal.
type Secret struct {
	// h is the interned plaintext: a unique.Handle is a pointer, so
	// reflection prints an address, and two handles of equal strings are
	// equal, so == compares secrets by value. The zero handle is the empty
	// secret.
	h unique.Handle[string]
}

// NewSecret returns a Secret holding s.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{h: unique.Make(s)}
}

// Reveal returns the raw secret. Call it only where the secret is really
// needed, such as building an Authorization header.
func (s Secret) Reveal() string {
	if s.IsZero() {
		return ""
	}
	return s.h.Value()
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.h == unique.Handle[string]{} }

// redacted returns the text shown in place of the secret.
func (s Secret) redacted() string {
	if s.IsZero() {
		return ""
	}
	return Redacted
}

// String returns "[REDACTED]", or "" for the empty secret. It never returns
// the secret; use [Secret.Reveal] for that.
func (s Secret) String() string { return s.redacted() }

// GoString returns a redacted Go expression, `credentials.Secret("[REDACTED]")`,
// for %#v.
func (s Secret) GoString() string {
	return "credentials.Secret(" + strconv.Quote(s.redacted()) + ")"
}

// Format implements [fmt.Formatter] so that every verb and flag prints the
// redacted form: %q quotes it, %#v uses [Secret.GoString], all other verbs
// print [Secret.String] honouring width and the '-' flag.
func (s Secret) Format(f fmt.State, verb rune) {
	var out string
	switch {
	case verb == 'q':
		out = strconv.Quote(s.redacted())
	case verb == 'v' && f.Flag('#'):
		out = s.GoString()
	default:
		out = s.redacted()
	}
	if w, ok := f.Width(); ok && len(out) < w {
		pad := make([]byte, w-len(out))
		for i := range pad {
			pad[i] = ' '
		}
		if f.Flag('-') {
			out += string(pad)
		} else {
			out = string(pad) + out
		}
	}
	_, _ = f.Write([]byte(out))
}

// LogValue implements [slog.LogValuer]: log/slog handlers record the redacted
// form.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.redacted()) }

// MarshalJSON encodes the redacted form as a JSON string, so that values
// containing a Secret can be logged as JSON safely. It never fails. To write a
// credentials file with the real secret use [Save] or [Encode].
func (s Secret) MarshalJSON() ([]byte, error) {
	return json.Marshal(s.redacted())
}

// UnmarshalJSON sets the secret from a JSON string, so that a Secret can be a
// field of configuration structs read with encoding/json. JSON null leaves the
// secret unchanged. Any other JSON value is an error, and so are a string
// that is not valid UTF-8 (encoding/json would replace the bad bytes, giving a
// secret that can never work) and the "[REDACTED]" placeholder that
// [Secret.MarshalJSON] writes. Errors never quote the input.
func (s *Secret) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var v string
	if jsonKind(data) != "string" || json.Unmarshal(data, &v) != nil {
		return fmt.Errorf("credentials: secret must be a JSON string, got %s", jsonKind(data))
	}
	if !validJSONText(data) {
		return errors.New("credentials: secret is not valid UTF-8")
	}
	return s.UnmarshalText([]byte(v))
}

// MarshalText returns the redacted form, for encoders that use
// [encoding.TextMarshaler] (YAML, TOML, map keys). It never fails.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.redacted()), nil }

// UnmarshalText sets the secret to text. It refuses text that is not valid
// UTF-8 and the "[REDACTED]" placeholder that [Secret.MarshalText] writes, so
// that a redacted copy is never mistaken for a secret. Errors never quote the
// input.
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

// errGob is returned by GobEncode and GobDecode.
var errGob = errors.New("credentials: a Secret is not gob-encoded; " +
	"send Reveal() explicitly or write a credentials file with Save")

// GobEncode implements [encoding/gob.GobEncoder] by refusing: gob carries
// data to be decoded again, where a redacted placeholder would silently
// become a wrong secret, and the plaintext is not sent implicitly.
func (Secret) GobEncode() ([]byte, error) { return nil, errGob }

// GobDecode implements [encoding/gob.GobDecoder] by refusing, as GobEncode.
func (*Secret) GobDecode([]byte) error { return errGob }
