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
// shows instead of the secret itself.
const Redacted = "[REDACTED]"

// Secret holds a robot account secret. Its value is only available through
// [Secret.Reveal]: printing and logging show "[REDACTED]", and encoders that
// could carry it to disk refuse it.
//
// A non-empty Secret prints as "[REDACTED]" with every fmt verb (%v, %+v, %#v,
// %s, %q, %x, ...), through String and GoString, and through log/slog
// (LogValue, so slog's text and JSON handlers redact it). Encoders refuse it
// with an error naming [Save] and [Encode]: encoding/json (MarshalJSON),
// encoding/xml and every user of encoding.TextMarshaler (MarshalText: YAML,
// TOML, map keys), and encoding/gob (GobEncode). A redacted copy written to a
// file would be a secret that can never log in, and Harbor shows the real one
// only once; so no encoder succeeds with a placeholder, and none writes the
// plaintext implicitly. A slog JSON handler given a struct of your own that
// holds a Secret (without a LogValue method of its own) writes that error in
// place of the value, never the secret. The empty Secret encodes as "" (it
// loses nothing).
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
// value: two Secrets holding the same text are equal. That is why the
// pointer is a [unique.Handle] rather than a *string: a *string would hide
// the text as well, but == would then compare addresses, and code that
// compares secrets or keys maps by them would silently change meaning.
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

// errEncode is what the encoders of a non-empty Secret return.
var errEncode = errors.New("credentials: a Secret is not encoded, since a redacted copy could never " +
	"log in: write credentials files with credentials.Save or credentials.Encode, or encode Reveal() explicitly")

// MarshalJSON refuses a non-empty secret with an error naming [Save] and
// [Encode] (see [Secret]); the empty secret encodes as "".
func (s Secret) MarshalJSON() ([]byte, error) {
	if s.IsZero() {
		return []byte(`""`), nil
	}
	return nil, errEncode
}

// UnmarshalJSON sets the secret from a JSON string, so that a Secret can be a
// field of configuration structs read with encoding/json. JSON null leaves the
// secret unchanged. Any other JSON value is an error, and so are a string
// that is not valid UTF-8 (encoding/json would replace the bad bytes, giving a
// secret that can never work) and the "[REDACTED]" placeholder that printed
// and logged forms show. Errors never quote the input.
func (s *Secret) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var v string
	if jsonKind(data) != "string" || json.Unmarshal(data, &v) != nil {
		return fmt.Errorf("credentials: secret must be a JSON string, got %s", jsonKind(data))
	}
	if replaced(data, v) {
		return errors.New("credentials: secret is not valid UTF-8")
	}
	return s.UnmarshalText([]byte(v))
}

// MarshalText refuses a non-empty secret, as [Secret.MarshalJSON] does, for
// encoders that use [encoding.TextMarshaler] (encoding/xml, YAML, TOML, map
// keys); the empty secret encodes as empty text.
func (s Secret) MarshalText() ([]byte, error) {
	if s.IsZero() {
		return []byte{}, nil
	}
	return nil, errEncode
}

// UnmarshalText sets the secret to text. It refuses text that is not valid
// UTF-8 and the "[REDACTED]" placeholder that printed and logged forms show,
// so that a redacted copy is never mistaken for a secret. Errors never quote the
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
