package docsnippets

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docFiles returns README.md and docs/*.md of the module at root.
func docFiles(t *testing.T, root string) []string {
	t.Helper()
	files := []string{filepath.Join(root, "README.md")}
	more, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	require.NoError(t, err)
	return append(files, more...)
}

// TestDocumentationGoBlocksCompile type-checks and vets every ```go block of
// README.md and docs/*.md, one package per block, with one go vet over all
// of them.
func TestDocumentationGoBlocksCompile(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	var snippets []Snippet
	for _, f := range docFiles(t, root) {
		content, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, s := range Extract(f, content) {
			if s.Compiled() {
				snippets = append(snippets, s)
			}
		}
	}
	var problems []string
	for _, s := range snippets {
		if err := s.CheckFile(); err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if formatted, err := format.Source([]byte(s.Code)); err == nil && !bytes.Equal(formatted, []byte(s.Code)) {
			problems = append(problems, s.Where()+": the block is not gofmt-formatted")
		}
	}
	require.Empty(t, problems, "documentation Go blocks:\n%s", strings.Join(problems, "\n"))
	t.Logf("%d Go blocks to compile", len(snippets))
	if len(snippets) == 0 {
		return
	}
	out, err := compile(t, snippets)
	require.NoError(t, err, "a documentation Go block does not compile or vet (positions are in the Markdown file):\n%s", out)
}

// compile writes each snippet to its own package directory under a new
// testdata/tmp* directory (inside the module, so the module's packages
// resolve) and runs one go vet over all of them. A //line directive makes
// the go command report positions in the Markdown file.
func compile(t *testing.T, snippets []Snippet) (string, error) {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH: cannot compile the documentation's Go blocks")
	}
	require.NoError(t, os.MkdirAll("testdata", 0o755))
	tmp, err := os.MkdirTemp("testdata", "tmp")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(tmp) })

	var pkgs []string
	for i, s := range snippets {
		dir := filepath.Join(tmp, fmt.Sprintf("s%02d", i+1))
		require.NoError(t, os.Mkdir(dir, 0o755))
		abs, err := filepath.Abs(s.File)
		require.NoError(t, err)
		src := fmt.Sprintf("//line %s:%d\n%s", abs, s.Line, s.Code)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "snippet.go"), []byte(src), 0o644))
		pkgs = append(pkgs, "./"+filepath.ToSlash(dir))
	}
	// go vet type-checks every snippet as the compiler would, and runs the
	// vet checks, without linking a binary per snippet (go build would link
	// each main package, seconds apiece with the generated client).
	out, err := exec.Command(goCmd, append([]string{"vet"}, pkgs...)...).CombinedOutput()
	if err != nil {
		return "go vet: " + string(out), err
	}
	return "", nil
}

func TestExtract(t *testing.T) {
	md := "# Title\n" +
		"```go\n" + // line 2
		"package main\n" +
		"\n" +
		"func main() {}\n" +
		"```\n" +
		"text with ```inline``` code\n" +
		"  ~~~~python\n" + // line 8, indented fence
		"  print(1)\n" +
		"  ~~~\n" + // shorter: not a closing fence
		"  ~~~~~\n" +
		"```go nocompile\n" + // line 12
		"client.Projects()\n" +
		"````\n" +
		"```\n" + // unclosed block without info string
		"tail\n"
	got := Extract("x.md", []byte(md))
	require.Len(t, got, 4)

	assert.Equal(t, Snippet{File: "x.md", Line: 3, Info: "go", Code: "package main\n\nfunc main() {}\n"}, got[0])
	assert.True(t, got[0].Compiled())
	name, err := got[0].PackageName()
	require.NoError(t, err)
	assert.Equal(t, "main", name)

	assert.Equal(t, "python", got[1].Lang())
	assert.Equal(t, "print(1)\n~~~\n", got[1].Code)
	assert.False(t, got[1].Compiled())

	assert.Equal(t, "go nocompile", got[2].Info)
	assert.False(t, got[2].Compiled())
	assert.Equal(t, "client.Projects()\n", got[2].Code)
	assert.Equal(t, "x.md:13", got[2].Where())

	assert.Equal(t, "", got[3].Lang(), "an unclosed block runs to the end")
	assert.Equal(t, "tail\n", got[3].Code)
	assert.False(t, got[3].Compiled())
}

func TestFragmentWithoutPackageClauseIsRefused(t *testing.T) {
	s := Extract("doc.md", []byte("intro\n```go\nc, err := harbor.NewClient(url)\n```\n"))[0]
	err := s.CheckFile()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "doc.md:3: a ```go block must be a complete file")
	assert.Contains(t, err.Error(), "go nocompile")

	noMain := Extract("doc.md", []byte("```go\npackage main\n\nfunc run() {}\n```\n"))[0]
	assert.EqualError(t, noMain.CheckFile(), "doc.md:2: a ```go block in package main must declare func main")
	lib := Extract("doc.md", []byte("```go\npackage robots\n\nfunc Run() {}\n```\n"))[0]
	assert.NoError(t, lib.CheckFile())
}

// A compile error is reported at its line in the Markdown file.
func TestCompileErrorsPointIntoTheMarkdown(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	md := "# Doc\n\n```go\npackage main\n\nfunc main() {\n\tundefinedThing()\n}\n```\n"
	snippets := Extract("broken.md", []byte(md))
	out, err := compile(t, snippets)
	require.Error(t, err)
	assert.Contains(t, out, "broken.md:7:")
	assert.Contains(t, out, "undefined: undefinedThing")
}

// TestRelativeLinksResolve checks that every relative link of README.md and
// docs/*.md names an existing file and, for a Markdown file, an existing
// heading.
func TestRelativeLinksResolve(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	var broken []string
	for _, f := range docFiles(t, root) {
		content, err := os.ReadFile(f)
		require.NoError(t, err)
		rel, _ := filepath.Rel(root, f)
		for _, l := range Links(rel, content) {
			path, anchor, _ := strings.Cut(l.Target, "#")
			target := f
			if path != "" {
				target = filepath.Join(filepath.Dir(f), filepath.FromSlash(path))
			}
			if _, err := os.Stat(target); err != nil {
				broken = append(broken, fmt.Sprintf("%s:%d: %s: no such file", l.File, l.Line, l.Target))
				continue
			}
			if anchor != "" && strings.HasSuffix(target, ".md") {
				md, err := os.ReadFile(target)
				require.NoError(t, err)
				if !Anchors(md)[anchor] {
					broken = append(broken, fmt.Sprintf("%s:%d: %s: no such heading", l.File, l.Line, l.Target))
				}
			}
		}
	}
	assert.Empty(t, broken, "broken links:\n%s", strings.Join(broken, "\n"))
}

func TestLinksAndAnchors(t *testing.T) {
	md := "# Harbor behaviours you should know\n" +
		"See [code](../harbor/robots.go), [web](https://goharbor.io) and [here](#pages-at-most-100-relative-link-headers \"title\").\n" +
		"`[not](a-link.md)`\n" +
		"```md\n[inside](block.md)\n```\n" +
		"## Pages: at most 100, relative `Link` headers\n"
	links := Links("x.md", []byte(md))
	require.Len(t, links, 2)
	assert.Equal(t, Link{File: "x.md", Line: 2, Target: "../harbor/robots.go"}, links[0])
	assert.Equal(t, "#pages-at-most-100-relative-link-headers", links[1].Target)
	anchors := Anchors([]byte(md))
	assert.True(t, anchors["harbor-behaviours-you-should-know"])
	assert.True(t, anchors["pages-at-most-100-relative-link-headers"])
}
