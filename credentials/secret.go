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

// Secret holds a robot account secret, available only through
// [Secret.Reveal].
//
// Printing and logging redact it: every fmt verb and flag, String, GoString
// and log/slog (LogValue) show "[REDACTED]". Encoders refuse it, with an error
// naming [Save] and [Encode]: encoding/json (MarshalJSON), encoding/xml and
// other users of encoding.TextMarshaler such as YAML and TOML (MarshalText),
// and encoding/gob. A redacted copy written to a file would be a secret that
// can never log in, and Harbor shows the real one only once, so no encoder
// succeeds with a placeholder and none writes the plaintext implicitly. (A
// slog JSON handler given a struct of yours holding a Secret writes that
// error in place of the value.) The empty Secret prints and encodes as "".
//
// The plaintext sits behind a pointer in an unexported field, so printers
// that do not call these methods cannot reach it either: fmt and slog print a
// Secret held in an unexported field of a struct by reflection, and show a
// pointer below the top level as an address, as %p does; reflection-based
// encoders see no exported field.
//
// The zero value is the empty secret. Secrets compare with == by value. That
// is why the pointer is a [unique.Handle] rather than a *string: a *string
// would hide the text as well, but == would compare addresses, and code that
// compares secrets or keys maps by them would silently change meaning.
type Secret struct {
	h unique.Handle[string] // the zero handle is the empty secret
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

// String returns "[REDACTED]", or "" for the empty secret.
func (s Secret) String() string { return s.redacted() }

// GoString returns `credentials.Secret("[REDACTED]")`, for %#v.
func (s Secret) GoString() string {
	return "credentials.Secret(" + strconv.Quote(s.redacted()) + ")"
}

// Format implements [fmt.Formatter]: %q quotes the redacted form, %#v is
// [Secret.GoString], every other verb prints [Secret.String], honouring the
// width and the '-' flag.
func (s Secret) Format(f fmt.State, verb rune) {
	out := s.redacted()
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

// LogValue implements [slog.LogValuer]: slog records the redacted form.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.redacted()) }

// errEncode is what the encoders of a non-empty Secret return.
var errEncode = errors.New("credentials: a Secret is not encoded, since a redacted copy could never " +
	"log in: write credentials files with credentials.Save or credentials.Encode, or encode Reveal() explicitly")

// MarshalJSON refuses a non-empty secret (see [Secret]); the empty one is "".
func (s Secret) MarshalJSON() ([]byte, error) {
	if s.IsZero() {
		return []byte(`""`), nil
	}
	return nil, errEncode
}

// MarshalText refuses a non-empty secret, as [Secret.MarshalJSON] does.
func (s Secret) MarshalText() ([]byte, error) {
	if s.IsZero() {
		return []byte{}, nil
	}
	return nil, errEncode
}

// UnmarshalJSON sets the secret from a JSON string, so that a Secret can be a
// field of configuration read with encoding/json; null leaves it unchanged.
// It refuses other JSON values and what [Secret.UnmarshalText] refuses, and
// a string with bytes or \u escapes that are not UTF-8 (encoding/json would
// replace them, giving a secret that can never work). Errors never quote the
// input.
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

// UnmarshalText sets the secret to text. It refuses text that is not UTF-8
// and the "[REDACTED]" placeholder, so that a redacted copy is never taken
// for a secret. Errors never quote the input.
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

// GobEncode refuses, as [Secret.MarshalJSON] does.
func (Secret) GobEncode() ([]byte, error) { return nil, errGob }

// GobDecode refuses too: gob never carries a Secret.
func (*Secret) GobDecode([]byte) error { return errGob }
