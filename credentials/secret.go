package credentials

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
)

// Redacted is what every printed, logged or marshalled form of a non-empty
// [Secret] shows instead of the secret itself.
const Redacted = "[REDACTED]"

// Secret holds a robot account secret. Its value is only available through
// [Secret.Reveal]: every other way of turning it into text redacts it.
//
// A non-empty Secret prints as "[REDACTED]" with every fmt verb (%v, %+v, %#v,
// %s, %q, %x, ...), through String and GoString, through encoding/json and
// encoding.TextMarshaler (so JSON, YAML or TOML in logs) and through
// log/slog (LogValue). The empty Secret prints as the empty string (and as ""
// in JSON), so that a missing secret is visible without revealing anything.
//
// Secret is a struct with an unexported field rather than a string type so
// that reflection-based encoders and string conversions cannot reach the value
// by accident. The zero value is the empty secret. Secrets are comparable with
// ==.
type Secret struct {
	value string
}

// NewSecret returns a Secret holding s.
func NewSecret(s string) Secret { return Secret{value: s} }

// Reveal returns the raw secret. Call it only where the secret is really
// needed, such as building an Authorization header.
func (s Secret) Reveal() string { return s.value }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.value == "" }

// redacted returns the text shown in place of the secret.
func (s Secret) redacted() string {
	if s.value == "" {
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
// secret unchanged. Any other JSON value is an error, which never quotes the
// input.
func (s *Secret) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var v string
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("credentials: secret must be a JSON string, got %s", jsonKind(data))
	}
	s.value = v
	return nil
}

// MarshalText returns the redacted form, for encoders that use
// [encoding.TextMarshaler] (YAML, TOML, map keys). It never fails.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.redacted()), nil }

// UnmarshalText sets the secret to text. It never fails.
func (s *Secret) UnmarshalText(text []byte) error {
	s.value = string(text)
	return nil
}
