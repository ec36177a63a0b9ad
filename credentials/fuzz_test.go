package credentials

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// canaries are secret-like strings used in the seed corpus: whenever the
// input contains one, no error may repeat it.
var canaries = []string{"S3cretValue!", "S3cret"}

// FuzzLoad fuzzes the content side of Load (Parse, which Load calls on the
// file's bytes). Properties: no panic; on success name and secret are
// non-empty and Encode then Parse gives the same credentials; on failure the
// error is an *Error naming the source and never repeating a secret of the
// input. Seeds: testdata/*.json and testdata/fuzz/FuzzLoad (which holds secrets
// and names that are not valid UTF-8, lone and paired surrogate escapes, the
// redaction placeholder).
func FuzzLoad(f *testing.F) {
	fixtures, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range fixtures {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const source = "fuzz.json"
		c, err := Parse(data, source)
		if err != nil {
			checkFuzzError(t, data, source, err)
			return
		}
		if c.Name == "" || c.Secret.IsZero() {
			t.Fatalf("Parse succeeded with an empty name or secret")
		}
		// A U+FFFD in the result must come from the input, not from
		// encoding/json replacing invalid UTF-8 or a lone surrogate.
		for _, v := range []string{c.Name, c.Secret.Reveal()} {
			if strings.ContainsRune(v, utf8.RuneError) && !bytes.Contains(data, []byte("\uFFFD")) &&
				!bytes.Contains(bytes.ToLower(data), []byte(`\ufffd`)) {
				t.Fatalf("Parse replaced invalid text by U+FFFD instead of refusing it")
			}
		}
		out, err := Encode(c)
		if err != nil {
			t.Fatalf("Encode of parsed credentials failed: %v", err)
		}
		c2, err := Parse(out, "encoded")
		if err != nil {
			t.Fatalf("Parse of encoded credentials failed: %v", err)
		}
		assertSameCredentials(t, c, c2)
		out2, err := Encode(c2)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("Encode is not stable: %v", err)
		}
	})
}

func checkFuzzError(t *testing.T, data []byte, source string, err error) {
	t.Helper()
	msg := err.Error()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error is not an *Error: %T", err)
	}
	if !strings.HasPrefix(msg, "credentials: "+source) {
		t.Fatalf("error does not name the source: %s", msg)
	}
	for _, canary := range canaries {
		if bytes.Contains(data, []byte(canary)) && strings.Contains(msg, canary) {
			t.Fatalf("error reveals a secret-like input %q: %s", canary, msg)
		}
	}
	// Any secret containing '!' (which no message of this package does) must
	// not appear in the error.
	var m map[string]any
	if json.Unmarshal(data, &m) == nil {
		if s, ok := m["secret"].(string); ok && strings.Contains(s, "!") && strings.Contains(msg, s) {
			t.Fatalf("error reveals the secret: %s", msg)
		}
	}
	if e.Line < 0 || e.Column < 0 || (e.Line > 0) != (e.Column > 0) {
		t.Fatalf("bad position %d:%d", e.Line, e.Column)
	}
}
