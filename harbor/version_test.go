package harbor

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"regexp"
	"testing"
)

// swaggerSource reads a value from a row of the table in SWAGGER_SOURCE.md,
// e.g. "| release tag | `v2.15.2` (...) |". `make update-spec` rewrites these rows.
func swaggerSource(t *testing.T, row string) string {
	t.Helper()
	doc, err := os.ReadFile("../SWAGGER_SOURCE.md")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?m)^\\| " + regexp.QuoteMeta(row) + " \\| `([^`]+)`")
	m := re.FindSubmatch(doc)
	if m == nil {
		t.Fatalf("SWAGGER_SOURCE.md has no row %q with a `value`", row)
	}
	return string(m[1])
}

func TestSpecVersionMatchesSwaggerSource(t *testing.T) {
	if got := swaggerSource(t, "release tag"); got != SpecVersion {
		t.Errorf("SWAGGER_SOURCE.md records release tag %s, SpecVersion is %s", got, SpecVersion)
	}
}

func TestSpecVersionSwaggerSHA256(t *testing.T) {
	data, err := os.ReadFile("../swagger.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	got := hex.EncodeToString(sum[:])
	if want := swaggerSource(t, "sha256 of `swagger.yaml` here"); got != want {
		t.Errorf("sha256(swagger.yaml) = %s, SWAGGER_SOURCE.md records %s (SpecVersion %s); swagger.yaml must be upstream's file, unedited", got, want, SpecVersion)
	}
}
