// Command updatespec moves the SDK to another Harbor release's API spec; it is
// what `make update-spec` runs before regenerating gen/:
//
//	go run ./internal/cmd/updatespec -version v2.16.0 [-dir .] [-file swagger.yaml]
//
// It downloads api/v2.0/swagger.yaml at that tag (or reads -file), writes what
// changed to specdiff.md and stdout (internal/specdiff: the pull request
// body), replaces swagger.yaml, sets harbor.SpecVersion in harbor/version.go,
// and rewrites the release tag, tag commit, git blob id, sha256 and size rows
// of SWAGGER_SOURCE.md (the Counts section is not refreshed). Every file is
// checked and built before the first one is written, so a failure (bad
// version, download, a spec specdiff cannot read, a file without the line to
// rewrite) changes nothing. Exit status 2 for bad usage, 1 for other failures.
package main

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/harborkit/harbor-sdk-go/internal/specdiff"
)

// rawURL is where a release's spec is downloaded from; %s is the tag.
var rawURL = "https://raw.githubusercontent.com/goharbor/harbor/%s/api/v2.0/swagger.yaml"

// tagCommit returns the commit a tag names, or "" when unknown (offline).
var tagCommit = func(tag string) string {
	out, err := exec.Command("git", "ls-remote", "https://github.com/goharbor/harbor",
		"refs/tags/"+tag, "refs/tags/"+tag+"^{}").Output()
	lines := strings.Fields(string(out))
	if err != nil || len(lines) < 2 {
		return ""
	}
	return lines[len(lines)-2] // the peeled commit when the tag is annotated
}

var versionRE = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$`)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("updatespec", flag.ContinueOnError)
	fs.SetOutput(stderr)
	version := fs.String("version", "", "the Harbor release tag, such as v2.16.0 (required)")
	dir := fs.String("dir", ".", "the SDK checkout to update")
	file := fs.String("file", "", "read the new spec from this file instead of downloading it")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 || !versionRE.MatchString(*version) {
		fmt.Fprintf(stderr, "usage: updatespec -version vX.Y.Z [-dir DIR] [-file FILE] (got version %q)\n", *version)
		return 2
	}
	if err := update(*dir, *version, *file, stdout); err != nil {
		fmt.Fprintf(stderr, "updatespec: %v; nothing changed\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "updatespec: swagger.yaml, harbor.SpecVersion and SWAGGER_SOURCE.md now follow %s; "+
		"the Counts section of SWAGGER_SOURCE.md is not refreshed\n", *version)
	return 0
}

func update(dir, version, file string, stdout io.Writer) error {
	spec, err := newSpec(version, file)
	if err != nil {
		return err
	}
	specPath := filepath.Join(dir, "swagger.yaml")
	versionPath := filepath.Join(dir, "harbor", "version.go")
	sourcePath := filepath.Join(dir, "SWAGGER_SOURCE.md")
	versionGo, err := os.ReadFile(versionPath)
	if err != nil {
		return err
	}
	const constRE = `(?m)^const SpecVersion = "(.*)"$`
	m := regexp.MustCompile(constRE).FindSubmatch(versionGo)
	if m == nil {
		return fmt.Errorf("%s has no line `const SpecVersion = \"...\"`", versionPath)
	}
	oldSpec, err := specdiff.Load(specPath)
	if err != nil {
		return err
	}
	parsed, err := specdiff.Parse(spec)
	if err != nil {
		return fmt.Errorf("the spec of %s: %w", version, err)
	}
	var report bytes.Buffer
	if err := specdiff.Diff(oldSpec, parsed, string(m[1]), version).WriteMarkdown(&report); err != nil {
		return err
	}
	versionGo = regexp.MustCompile(constRE).ReplaceAll(versionGo, []byte(`const SpecVersion = "`+version+`"`))
	source, err := os.ReadFile(sourcePath)
	if err != nil {
		return err
	}
	if source, err = sourceRecord(source, version, spec); err != nil {
		return fmt.Errorf("%s: %w", sourcePath, err)
	}
	// Everything is built: write.
	for _, f := range []struct {
		path string
		data []byte
	}{
		{filepath.Join(dir, "specdiff.md"), report.Bytes()},
		{specPath, spec},
		{versionPath, versionGo},
		{sourcePath, source},
	} {
		if err := os.WriteFile(f.path, f.data, 0o644); err != nil {
			return err
		}
	}
	_, err = stdout.Write(report.Bytes())
	return err
}

// newSpec reads file, or downloads the spec of version.
func newSpec(version, file string) ([]byte, error) {
	if file != "" {
		return os.ReadFile(file)
	}
	url := fmt.Sprintf(rawURL, version)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot download %s (offline?): %w", url, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("cannot download %s: %s (no tag %s?)", url, res.Status, version)
	}
	return io.ReadAll(io.LimitReader(res.Body, 64<<20))
}

// sourceRecord rewrites the rows of SWAGGER_SOURCE.md that describe the file.
func sourceRecord(doc []byte, version string, spec []byte) ([]byte, error) {
	sum := sha256.Sum256(spec)
	blob := sha1.Sum(append([]byte("blob "+strconv.Itoa(len(spec))+"\x00"), spec...)) // what git hash-object prints
	commit := tagCommit(version)
	if commit == "" {
		commit = "unknown"
	}
	today := time.Now().UTC().Format(time.DateOnly)
	rows := []struct{ name, value string }{
		{"release tag", "`" + version + "` (set by `make update-spec` on " + today + "; check that it is the newest stable tag)"},
		{"tag commit", "`" + commit + "` (`git ls-remote` at update time)"},
		{"last commit touching the file at that tag", "not recorded by `make update-spec`"},
		{"git blob id", "`" + hex.EncodeToString(blob[:]) + "`"},
		{"sha256 of `swagger.yaml` here", "`" + hex.EncodeToString(sum[:]) + "`"},
		{"size", thousands(len(spec)) + " bytes"},
	}
	for _, r := range rows {
		re := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(r.name) + ` \| .*$`)
		if !re.Match(doc) {
			return nil, errors.New("no row | " + r.name + " | to rewrite")
		}
		doc = re.ReplaceAllLiteral(doc, []byte("| "+r.name+" | "+r.value+" |"))
	}
	return doc, nil
}

// thousands writes n with commas between groups of three digits: 308,530.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
