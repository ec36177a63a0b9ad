package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const root = "../../../"

// checkout makes a copy of the files updatespec touches, with a small spec
// (specdiff's testdata) as the current swagger.yaml, and returns its path.
func checkout(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for from, to := range map[string]string{
		root + "internal/specdiff/testdata/operations/old.yaml": "swagger.yaml",
		root + "harbor/version.go":                              "harbor/version.go",
		root + "SWAGGER_SOURCE.md":                              "SWAGGER_SOURCE.md",
	} {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, to)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// serve answers the download of each tag in specs, 404 otherwise.
func serve(t *testing.T, specs map[string][]byte) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tag := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/api/v2.0/swagger.yaml")
		if spec, ok := specs[tag]; ok {
			_, _ = w.Write(spec)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	oldURL, oldCommit := rawURL, tagCommit
	rawURL = srv.URL + "/%s/api/v2.0/swagger.yaml"
	tagCommit = func(string) string { return "0123456789abcdef0123456789abcdef01234567" }
	t.Cleanup(func() { rawURL, tagCommit = oldURL, oldCommit })
}

// row reads a row's `value` as harbor's TestSpecVersionSwaggerSHA256 does.
func row(t *testing.T, doc []byte, name string) string {
	t.Helper()
	m := regexp.MustCompile("(?m)^\\| " + regexp.QuoteMeta(name) + " \\| `([^`]+)`").FindSubmatch(doc)
	if m == nil {
		t.Fatalf("no row %q with a `value`", name)
	}
	return string(m[1])
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The repository's own swagger.yaml, served as the new release, gets the
// record that SWAGGER_SOURCE.md holds for it (blob id and size computed in
// Go, as git hash-object and wc -c gave them).
func TestUpdateRewritesEveryRecord(t *testing.T) {
	spec := read(t, root+"swagger.yaml")
	recorded := read(t, root+"SWAGGER_SOURCE.md")
	serve(t, map[string][]byte{"v2.16.0": spec})
	dir := checkout(t)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-version", "v2.16.0", "-dir", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !bytes.Equal(read(t, filepath.Join(dir, "swagger.yaml")), spec) {
		t.Error("swagger.yaml is not the downloaded file, byte for byte")
	}
	if !bytes.Contains(read(t, filepath.Join(dir, "harbor/version.go")), []byte("\nconst SpecVersion = \"v2.16.0\"\n")) {
		t.Error("harbor/version.go does not set SpecVersion to v2.16.0")
	}
	source := read(t, filepath.Join(dir, "SWAGGER_SOURCE.md"))
	sum := sha256.Sum256(spec)
	for name, want := range map[string]string{
		"release tag":                   "v2.16.0",
		"tag commit":                    "0123456789abcdef0123456789abcdef01234567",
		"git blob id":                   row(t, recorded, "git blob id"),
		"sha256 of `swagger.yaml` here": hex.EncodeToString(sum[:]),
	} {
		if got := row(t, source, name); got != want {
			t.Errorf("row %q = %q, want %q", name, got, want)
		}
	}
	size := regexp.MustCompile(`(?m)^\| size \| .*$`)
	if got, want := size.Find(source), size.Find(recorded); !bytes.Equal(got, want) {
		t.Errorf("size row %q, want %q", got, want)
	}
	report := read(t, filepath.Join(dir, "specdiff.md"))
	if !bytes.Contains(report, []byte("`v2.15.2` → `v2.16.0`")) || !bytes.Equal(report, stdout.Bytes()[:len(report)]) {
		t.Errorf("specdiff.md is not the printed report between the old SpecVersion and the new tag:\n%s", report)
	}
	if !bytes.Contains(stdout.Bytes(), []byte("now follow v2.16.0")) {
		t.Errorf("stdout: %s", stdout.String())
	}
}

// A failure before anything is written leaves the checkout as it was.
func TestUpdateChangesNothingOnFailure(t *testing.T) {
	serve(t, map[string][]byte{"v2.16.0": []byte("not: [a swagger spec")})
	for name, tc := range map[string]struct {
		args   []string
		breakf func(dir string)
		code   int
		want   string
	}{
		"bad version":  {args: []string{"-version", "2.16"}, code: 2, want: "usage: updatespec"},
		"no version":   {code: 2, want: "usage: updatespec"},
		"no such tag":  {args: []string{"-version", "v9.9.9"}, code: 1, want: "404 Not Found (no tag v9.9.9?)"},
		"not a spec":   {args: []string{"-version", "v2.16.0"}, code: 1, want: "the spec of v2.16.0"},
		"missing file": {args: []string{"-version", "v2.16.0", "-file", "/nonexistent"}, code: 1, want: "/nonexistent"},
		"record lacks a row": {args: []string{"-version", "v2.16.0", "-file", root + "swagger.yaml"}, code: 1,
			want: "no row | git blob id | to rewrite", breakf: func(dir string) {
				p := filepath.Join(dir, "SWAGGER_SOURCE.md")
				data, _ := os.ReadFile(p)
				_ = os.WriteFile(p, bytes.ReplaceAll(data, []byte("| git blob id |"), []byte("| blob |")), 0o644)
			}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := checkout(t)
			if tc.breakf != nil {
				tc.breakf(dir)
			}
			before := map[string][]byte{}
			for _, f := range []string{"swagger.yaml", "harbor/version.go", "SWAGGER_SOURCE.md"} {
				before[f] = read(t, filepath.Join(dir, f))
			}
			var stdout, stderr bytes.Buffer
			code := run(append(tc.args, "-dir", dir), &stdout, &stderr)
			if code != tc.code || !strings.Contains(stderr.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, stderr.String(), tc.code, tc.want)
			}
			for f, data := range before {
				if !bytes.Equal(read(t, filepath.Join(dir, f)), data) {
					t.Errorf("%s changed", f)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "specdiff.md")); err == nil {
				t.Error("specdiff.md written")
			}
		})
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 308530: "308,530", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
