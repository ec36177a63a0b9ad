package credentials

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// Containers a user might write around a Secret or Credentials. fmt prints
// unexported fields by reflection, without calling String or Format; that is
// where the plaintext leaked before it moved behind a pointer.
type (
	exportedSecret struct {
		Label  string
		Secret Secret
	}
	unexportedSecret struct {
		Label  string
		secret Secret
	}
	unexportedSecretPtr struct {
		Label  string
		secret *Secret
	}
	unexportedSecrets struct {
		Label   string
		secrets []Secret
		byName  map[string]Secret
	}
	exportedCreds struct {
		Label string
		Creds Credentials
	}
	unexportedCreds struct {
		Label string
		creds Credentials
	}
	unexportedCredsPtr struct {
		Label string
		creds *Credentials
	}
	embeddedSecret struct {
		Secret
		Label string
	}
	nested struct {
		Label string
		inner unexportedSecret
		any   any
	}
)

// printed returns every value under test, by name, each holding rawSecret.
func printed() map[string]any {
	s := NewSecret(rawSecret)
	c := *sampleCredentials()
	us := unexportedSecret{Label: "label", secret: s}
	uc := unexportedCreds{Label: "label", creds: c}
	return map[string]any{
		"Secret":                     s,
		"*Secret":                    &s,
		"Credentials":                c,
		"*Credentials":               &c,
		"struct{Secret}":             exportedSecret{Label: "label", Secret: s},
		"*struct{Secret}":            &exportedSecret{Label: "label", Secret: s},
		"struct{secret}":             us,
		"*struct{secret}":            &us,
		"struct{secret *Secret}":     unexportedSecretPtr{Label: "label", secret: &s},
		"struct{secrets, byName}":    unexportedSecrets{Label: "label", secrets: []Secret{s, s}, byName: map[string]Secret{"k": s}},
		"struct{Creds}":              exportedCreds{Label: "label", Creds: c},
		"struct{creds}":              uc,
		"*struct{creds}":             &uc,
		"struct{creds *Credentials}": unexportedCredsPtr{Label: "label", creds: &c},
		"struct{embedded Secret}":    embeddedSecret{Secret: s, Label: "label"},
		"nested unexported":          nested{Label: "label", inner: us, any: uc},
		"[]Secret":                   []Secret{s, s},
		"[]*Secret":                  []*Secret{&s},
		"[]Credentials":              []Credentials{c},
		"[]struct{secret}":           []unexportedSecret{us, us},
		"[]struct{creds}":            []unexportedCreds{uc},
		"map[string]Secret":          map[string]Secret{"k": s},
		"map[Secret]string":          map[Secret]string{s: "v"},
		"map[string]Credentials":     map[string]Credentials{"k": c},
		"map[string]struct{secret}":  map[string]unexportedSecret{"k": us},
		"map[string]any":             map[string]any{"s": s, "c": &c, "us": us, "uc": &uc},
		"[2]struct{secret}":          [2]unexportedSecret{us, us},
		"[]any":                      []any{s, &s, c, us, &uc},
	}
}

var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%p", "%d", "%T", "%20v", "%-8s", "% x", "%#x", "%08d"}

// assertNoSecret fails if out holds the secret as text, as hexadecimal (what
// %x of a leaked string prints) or as the decimal bytes of %d.
func assertNoSecret(t *testing.T, out, context string) {
	t.Helper()
	leaks := []string{
		rawSecret,
		hex.EncodeToString([]byte(rawSecret)),
		strings.ToUpper(hex.EncodeToString([]byte(rawSecret))),
		"53 33 63",  // "% x" of "S3c"
		"[83 51 99", // %d of the bytes "S3c"
	}
	for _, leak := range leaks {
		if strings.Contains(out, leak) {
			t.Errorf("%s leaks the secret (%q found): %s", context, leak, out)
			return
		}
	}
}

func TestPrintersNeverShowTheSecret(t *testing.T) {
	for name, v := range printed() {
		t.Run(name, func(t *testing.T) {
			for _, verb := range verbs {
				out := fmt.Sprintf(verb, v)
				assertNoSecret(t, out, "fmt "+verb)

				var buf bytes.Buffer
				log.New(&buf, "", 0).Printf(verb, v)
				assertNoSecret(t, buf.String(), "log.Printf "+verb)
			}
			assertNoSecret(t, fmt.Sprint(v), "fmt.Sprint")
			assertNoSecret(t, fmt.Sprintln(v), "fmt.Sprintln")
			assertNoSecret(t, fmt.Errorf("wrapped: %v", v).Error(), "fmt.Errorf")
		})
	}
}

func TestPrintersStillPrintTheRest(t *testing.T) {
	// The containers print their other fields, so the test above does not
	// pass because nothing is printed.
	v := printed()
	assert.Contains(t, fmt.Sprintf("%+v", v["struct{secret}"]), "Label:label")
	assert.Contains(t, fmt.Sprintf("%+v", v["struct{creds}"]), "Name:robot$ci")
	assert.Contains(t, fmt.Sprintf("%v", v["[]Credentials"]), "robot$ci")
	assert.Equal(t, "{label "+Redacted+"}", fmt.Sprintf("%v", v["struct{Secret}"]),
		"an exported field is printed through Format")
	assert.Equal(t, "["+Redacted+" "+Redacted+"]", fmt.Sprintf("%v", v["[]Secret"]))
	assert.Equal(t, "map[k:"+Redacted+"]", fmt.Sprintf("%v", v["map[string]Secret"]))
	assert.Equal(t, "credentials.Secret", fmt.Sprintf("%T", v["Secret"]))
	assert.Equal(t, Redacted, fmt.Sprintf("%v", v["struct{embedded Secret}"]),
		"embedding promotes Format")
}

func TestSecretPercentP(t *testing.T) {
	s := NewSecret(rawSecret)
	// %p of a non-pointer is a bad verb, which fmt prints by reflection
	// without calling Format: it shows the pointer inside, not the text.
	got := fmt.Sprintf("%p", s)
	assert.True(t, strings.HasPrefix(got, "%!p(credentials.Secret="), got)
	assertNoSecret(t, got, "%p")
	// %p of a pointer is its address.
	assert.True(t, strings.HasPrefix(fmt.Sprintf("%p", &s), "0x"))
}

func TestSlogNeverShowsTheSecret(t *testing.T) {
	handlers := map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	}
	for hname, newHandler := range handlers {
		for name, v := range printed() {
			t.Run(hname+"/"+name, func(t *testing.T) {
				var buf bytes.Buffer
				logger := slog.New(newHandler(&buf))
				logger.Info("value", "v", v, slog.Group("g", slog.Any("v", v)))
				logger.Info(fmt.Sprintf("message %+v", v))
				out := buf.String()
				assertNoSecret(t, out, hname)
				assert.Contains(t, out, "value", "the record was written")
			})
		}
	}
}

// marshalOutcome runs an encoder on v and returns what it wrote and its error.
type marshalOutcome func(v any) ([]byte, error)

func TestEncodersNeverWriteTheSecret(t *testing.T) {
	encoders := map[string]marshalOutcome{
		"json": json.Marshal,
		"xml":  xml.Marshal,
		"gob": func(v any) ([]byte, error) {
			var buf bytes.Buffer
			err := gob.NewEncoder(&buf).Encode(v)
			return buf.Bytes(), err
		},
	}
	for ename, marshal := range encoders {
		for name, v := range printed() {
			t.Run(ename+"/"+name, func(t *testing.T) {
				out, err := marshal(v)
				// Some containers are not encodable at all (xml of maps,
				// gob of structs without exported fields): what matters is
				// that neither the output nor the error holds the secret.
				assertNoSecret(t, string(out), ename)
				if err != nil {
					assertNoSecret(t, err.Error(), ename+" error")
				}
			})
		}
	}
}

// Issue 18 item 3: no encoder succeeds with a placeholder that could be
// written to disk in place of the secret; each one's error names Save and
// Encode. What holds no secret still encodes.
func TestEncodersRefuseSecrets(t *testing.T) {
	c := sampleCredentials()
	s := NewSecret(rawSecret)
	textOf := func(v any) ([]byte, error) { return v.(interface{ MarshalText() ([]byte, error) }).MarshalText() }
	refused := []struct {
		name    string
		marshal marshalOutcome
		v       any
	}{
		{"json Secret", json.Marshal, s},
		{"json *Secret", json.Marshal, &s},
		{"json struct{Secret}", json.Marshal, exportedSecret{Label: "l", Secret: s}},
		{"json Credentials", json.Marshal, *c},
		{"json *Credentials", json.Marshal, c},
		{"json map[Secret]string", json.Marshal, map[Secret]string{s: "v"}},
		{"json indented", func(v any) ([]byte, error) { return json.MarshalIndent(v, "", " ") }, c},
		{"xml Secret", xml.Marshal, s},
		{"xml struct{Secret}", xml.Marshal, exportedSecret{Label: "l", Secret: s}},
		{"xml Credentials", xml.Marshal, c},
		{"TextMarshaler (YAML, TOML)", textOf, s},
		{"yaml Secret", yaml.Marshal, s},
		{"yaml Credentials", yaml.Marshal, c},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tc.marshal(tc.v)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "credentials.Save")
			assert.Contains(t, err.Error(), "credentials.Encode")
			assert.Empty(t, out)
			assertNoSecret(t, err.Error(), tc.name)
		})
	}
	encoded := []struct {
		name    string
		marshal marshalOutcome
		v       any
		want    string
	}{
		{"json empty Secret", json.Marshal, Secret{}, `""`},
		{"json struct{secret}", json.Marshal, unexportedSecret{Label: "l", secret: s}, `{"Label":"l"}`},
		{"json Credentials without a secret", json.Marshal, Credentials{Name: "robot$ci"}, `"name":"robot$ci"`},
		{"xml empty Secret", xml.Marshal, Secret{}, `<Secret></Secret>`},
		{"text empty Secret", textOf, Secret{}, ``},
	}
	for _, tc := range encoded {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tc.marshal(tc.v)
			require.NoError(t, err)
			assert.Contains(t, string(out), tc.want)
		})
	}
}

// slog's JSON handler still logs: a Secret and Credentials through their
// LogValue (redacted), and a struct of the user's that holds a Secret with
// the encoder's error in place of the value; the record is written and never
// holds the secret.
func TestSlogJSONHandlerLogsDespiteRefusingEncoders(t *testing.T) {
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("robot", "secret", NewSecret(rawSecret),
		"creds", sampleCredentials(), "mine", exportedSecret{Label: "l", Secret: NewSecret(rawSecret)})
	var rec map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rec), buf.String())
	assert.Equal(t, Redacted, rec["secret"])
	assert.Equal(t, map[string]any{"name": "robot$ci", "secret": Redacted, "id": float64(42)}, rec["creds"])
	assert.Contains(t, rec["mine"], "credentials.Save")
	assertNoSecret(t, buf.String(), "slog JSON")
}

func TestGobRefusesSecrets(t *testing.T) {
	for name, v := range map[string]any{
		"Secret":            NewSecret(rawSecret),
		"*Secret":           new(Secret),
		"Credentials":       *sampleCredentials(),
		"*Credentials":      sampleCredentials(),
		"struct{Secret}":    exportedSecret{Label: "l", Secret: NewSecret(rawSecret)},
		"[]Secret":          []Secret{NewSecret(rawSecret)},
		"map[string]Secret": map[string]Secret{"k": NewSecret(rawSecret)},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			err := gob.NewEncoder(&buf).Encode(v)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "a Secret is not gob-encoded")
		})
	}
	// Decoding into a Secret is refused too.
	var buf bytes.Buffer
	require.NoError(t, gob.NewEncoder(&buf).Encode(struct{ Secret []byte }{[]byte("x")}))
	var dst exportedSecret
	err := gob.NewDecoder(&buf).Decode(&dst)
	require.Error(t, err)
	assert.True(t, dst.Secret.IsZero())
}

func TestPanicValuesRecoveredAndPrinted(t *testing.T) {
	for name, v := range printed() {
		t.Run(name, func(t *testing.T) {
			out := func() (out string) {
				defer func() {
					r := recover()
					out = fmt.Sprint(r) + fmt.Sprintf(" %+v %#v %s %x %p", r, r, r, r, r)
				}()
				panic(v)
			}()
			assertNoSecret(t, out, "recovered panic value")
		})
	}
}

// panicChildEnv names the value the test binary panics with when run by
// TestRuntimePanicRedacts.
const panicChildEnv = "CREDENTIALS_TEST_PANIC_WITH"

// TestRuntimePanicRedacts lets the runtime print an unrecovered panic (it
// uses String for a fmt.Stringer, and an address for other structs): the
// test binary re-runs itself to panic, and the parent reads its stderr.
func TestRuntimePanicRedacts(t *testing.T) {
	if name := os.Getenv(panicChildEnv); name != "" {
		panic(printed()[name])
	}
	if testing.Short() {
		t.Skip("runs the test binary once per value")
	}
	for _, name := range []string{"Secret", "*Secret", "Credentials", "*Credentials", "struct{secret}", "struct{creds}", "[]Secret"} {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestRuntimePanicRedacts$", "-test.count=1")
			cmd.Env = append(os.Environ(), panicChildEnv+"="+name)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			require.Error(t, err, "the child must panic")
			out := stderr.String()
			require.Contains(t, out, "panic: ", "the runtime printed the panic")
			assertNoSecret(t, out, "runtime panic output")
		})
	}
	t.Run("Secret is printed as redacted", func(t *testing.T) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRuntimePanicRedacts$", "-test.count=1")
		cmd.Env = append(os.Environ(), panicChildEnv+"=Secret")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		_ = cmd.Run()
		assert.Contains(t, stderr.String(), "panic: "+Redacted)
	})
}

func TestSecretEquality(t *testing.T) {
	a, b := NewSecret(rawSecret), NewSecret(strings.Clone(rawSecret))
	assert.True(t, a == b, "secrets with the same text are equal with ==")
	assert.False(t, a == NewSecret("other"))
	assert.True(t, Secret{} == NewSecret(""), "the zero value is the empty secret")
	assert.Equal(t, "", Secret{}.Reveal())
	m := map[Secret]int{a: 1}
	assert.Equal(t, 1, m[b], "usable as a map key")
}

func TestSecretUnmarshalRefuses(t *testing.T) {
	cases := []struct {
		name string
		json string
		want string
	}{
		{"placeholder", `"[REDACTED]"`, "redaction placeholder"},
		{"invalid UTF-8", "\"ab\xffcd\"", "not valid UTF-8"},
		{"lone high surrogate", `"ab\ud800cd"`, "not valid UTF-8"},
		{"lone low surrogate", `"\udc00"`, "not valid UTF-8"},
		{"number", `12345678`, "got number"},
		{"object", `{"a":"b"}`, "got object"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSecret("before")
			err := json.Unmarshal([]byte(tc.json), &s)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, "before", s.Reveal(), "unchanged on error")
		})
	}
	var s Secret
	require.NoError(t, json.Unmarshal([]byte(`"\ud83d\ude00x"`), &s), "a surrogate pair is fine")
	assert.Equal(t, "\U0001F600x", s.Reveal())
	assert.Error(t, s.UnmarshalText([]byte(Redacted)))
	assert.Error(t, s.UnmarshalText([]byte{0xff}))
}
