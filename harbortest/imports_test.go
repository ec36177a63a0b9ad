package harbortest_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestStandardLibraryOnly keeps harbortest free of dependencies: its
// non-test files import the standard library, internal/uuid and webhook only
// (both standard library only themselves; never harbor/ or gen/, so harbor's
// tests can use harbortest without a cycle).
func TestStandardLibraryOnly(t *testing.T) {
	allowed := map[string]bool{
		"github.com/harborkit/harbor-sdk-go/internal/uuid": true,
		"github.com/harborkit/harbor-sdk-go/webhook":       true,
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(p, "/")
			if strings.Contains(first, ".") && !allowed[p] {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}
