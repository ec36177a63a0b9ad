package webhook

import (
	"go/build"
	"strings"
	"testing"
)

// TestStandardLibraryOnly keeps the package free of dependencies: a
// receiver imports it without the SDK's generated client.
func TestStandardLibraryOnly(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkg.Imports {
		if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") {
			t.Errorf("imports %s", p)
		}
	}
}
