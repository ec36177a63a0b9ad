package credentials

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const rawSecret = "S3cretValue!xyz"

func TestSecretReveal(t *testing.T) {
	s := NewSecret(rawSecret)
	assert.Equal(t, rawSecret, s.Reveal())
	assert.False(t, s.IsZero())
	assert.True(t, Secret{}.IsZero())
	assert.Equal(t, NewSecret(rawSecret), s, "secrets compare by value")
}

func TestSecretFmtVerbsRedact(t *testing.T) {
	s := NewSecret(rawSecret)
	cases := map[string]string{
		"%v":    Redacted,
		"%+v":   Redacted,
		"%#v":   `credentials.Secret("[REDACTED]")`,
		"%s":    Redacted,
		"%q":    `"[REDACTED]"`,
		"%x":    Redacted,
		"%X":    Redacted,
		"%d":    Redacted,
		"%12s":  "  " + Redacted,
		"%-12s": Redacted + "  ",
	}
	for format, want := range cases {
		t.Run(format, func(t *testing.T) {
			got := fmt.Sprintf(format, s)
			assert.Equal(t, want, got)
			assert.NotContains(t, got, rawSecret)
			// Through a pointer too.
			assert.NotContains(t, fmt.Sprintf(format, &s), rawSecret)
		})
	}
	assert.Equal(t, Redacted, s.String())
	assert.Equal(t, `credentials.Secret("[REDACTED]")`, s.GoString())
	assert.Equal(t, Redacted, fmt.Sprint(s))
	assert.Equal(t, Redacted+"\n", fmt.Sprintln(s))
}

func TestEmptySecretPrintsEmpty(t *testing.T) {
	var s Secret
	assert.Equal(t, "", s.String())
	assert.Equal(t, `""`, fmt.Sprintf("%q", s))
	assert.Equal(t, `credentials.Secret("")`, fmt.Sprintf("%#v", s))
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, `""`, string(b))
}

func TestSecretUnmarshal(t *testing.T) {
	var cfg struct {
		Token Secret `json:"token"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"token":"`+rawSecret+`"}`), &cfg))
	assert.Equal(t, rawSecret, cfg.Token.Reveal())

	err := json.Unmarshal([]byte(`{"token":12345678}`), &cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "got number")
	assert.NotContains(t, err.Error(), "12345678")

	var s Secret
	require.NoError(t, s.UnmarshalText([]byte(rawSecret)))
	assert.Equal(t, rawSecret, s.Reveal())
}

func sampleCredentials() *Credentials {
	id := int64(42)
	desc := "ci robot"
	ts := time.Date(2026, 11, 26, 21, 30, 43, 146e6, time.UTC)
	return &Credentials{
		Name:         "robot$ci",
		Secret:       NewSecret(rawSecret),
		ID:           &id,
		Description:  &desc,
		CreationTime: &ts,
		Permissions: []Permission{{Kind: "project", Namespace: "library",
			Access: []Access{{Resource: "repository", Action: "pull"}}}},
		Extra: map[string]json.RawMessage{"permissionScope": json.RawMessage(`{"coverAll":true}`)},
	}
}

func TestCredentialsFmtRedacts(t *testing.T) {
	c := sampleCredentials()
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for _, v := range []any{c, *c} {
			got := fmt.Sprintf(format, v)
			assert.NotContains(t, got, rawSecret, format)
		}
	}
	assert.Contains(t, fmt.Sprintf("%+v", c), "Secret:"+Redacted)
	assert.Contains(t, fmt.Sprintf("%#v", *c), `Secret:credentials.Secret("[REDACTED]")`)
	assert.Contains(t, fmt.Sprintf("%v", c), "robot$ci")
}

func TestSlogRedacts(t *testing.T) {
	c := sampleCredentials()
	for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(newHandler(&buf))
			log.Info("robot", "secret", c.Secret, "secretPtr", &c.Secret, "creds", c, "credsValue", *c,
				slog.Any("any", c.Secret), slog.Group("g", "s", c.Secret))
			out := buf.String()
			assert.NotContains(t, out, rawSecret)
			assert.Contains(t, out, Redacted)
			assert.Contains(t, out, "robot$ci")
		})
	}

	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "secret", NewSecret(rawSecret))
	assert.Contains(t, buf.String(), "secret="+Redacted)
	buf.Reset()
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "secret", NewSecret(rawSecret))
	assert.Contains(t, buf.String(), `"secret":"[REDACTED]"`)
}
