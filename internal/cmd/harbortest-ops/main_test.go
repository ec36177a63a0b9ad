package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOperationsFresh fails when harbortest/operations.go does not match
// swagger.yaml; run `go generate ./harbortest` to refresh it.
func TestOperationsFresh(t *testing.T) {
	want, err := generate(filepath.Join("..", "..", "..", "swagger.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile(filepath.Join("..", "..", "..", "harbortest", "operations.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, have) {
		t.Fatal("harbortest/operations.go is stale: run `go generate ./harbortest`")
	}
	if n := strings.Count(string(have), "\n\t{"); n < 200 {
		t.Fatalf("operations.go lists %d operations, want every one of swagger.yaml", n)
	}
}

func TestRunBadSpec(t *testing.T) {
	var stderr bytes.Buffer
	out := filepath.Join(t.TempDir(), "ops.go")
	if code := run([]string{"-spec", filepath.Join(t.TempDir(), "missing.yaml"), "-out", out}, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "missing.yaml") {
		t.Fatalf("error does not name the file: %q", stderr.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("output written despite the error")
	}
}
