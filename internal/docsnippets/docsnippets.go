// Package docsnippets extracts the fenced code blocks of Markdown files so
// that its test can compile the Go ones: every ```go block of README.md and
// docs/*.md is type-checked and vetted (go vet) by `go test ./...`.
//
// # Convention for Go blocks in the documentation
//
//   - A block fenced with ```go is a complete Go file: after optional
//     comments it starts with a package clause, imports what it uses and,
//     as package main, has a main function. It must be gofmt-formatted.
//     Each block is compiled on its own, as one package.
//   - A block whose info string has the word "nocompile" after the language
//     (```go nocompile) is shown but not compiled: use it only for code that
//     cannot compile in this module, such as another library's API in a
//     migration guide.
//   - Blocks in other languages (```python, ```sh, ...) are not compiled.
package docsnippets

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// Snippet is one fenced code block of a Markdown file.
type Snippet struct {
	// File is the Markdown file's path, as given to Extract.
	File string
	// Line is the 1-based line of the block's first code line.
	Line int
	// Info is the fence's info string, e.g. "go" or "go nocompile".
	Info string
	// Code is the block's content, with a final newline.
	Code string
}

// Lang returns the first word of the info string, lower-cased ("go",
// "python", ...), or "" for a block without one.
func (s Snippet) Lang() string {
	fields := strings.Fields(s.Info)
	if len(fields) == 0 {
		return ""
	}
	return strings.ToLower(fields[0])
}

// Compiled reports whether the convention wants the snippet compiled: a go
// block without the word "nocompile".
func (s Snippet) Compiled() bool {
	if s.Lang() != "go" {
		return false
	}
	for _, w := range strings.Fields(s.Info)[1:] {
		if w == "nocompile" {
			return false
		}
	}
	return true
}

// Where returns "file:line" for messages.
func (s Snippet) Where() string { return fmt.Sprintf("%s:%d", s.File, s.Line) }

// PackageName returns the package name of a Go snippet, or an error when it
// does not start with a package clause (after comments).
func (s Snippet) PackageName() (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "snippet.go", s.Code, parser.PackageClauseOnly)
	if err != nil {
		return "", fmt.Errorf("%s: a ```go block must be a complete file starting with a package clause "+
			"(or be fenced as ```go nocompile): %v", s.Where(), err)
	}
	return f.Name.Name, nil
}

// CheckFile reports whether a Go snippet is a complete file: it starts with
// a package clause and, as package main, declares func main. Its error
// names the snippet's place in the Markdown file.
func (s Snippet) CheckFile() error {
	f, err := parser.ParseFile(token.NewFileSet(), "snippet.go", s.Code, parser.SkipObjectResolution)
	if err != nil {
		if _, perr := s.PackageName(); perr != nil {
			return perr
		}
		return fmt.Errorf("%s: %v", s.Where(), err)
	}
	if f.Name.Name != "main" {
		return nil
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
			return nil
		}
	}
	return fmt.Errorf("%s: a ```go block in package main must declare func main", s.Where())
}

// Extract returns the fenced code blocks (``` or ~~~, CommonMark style, indented
// by at most three spaces) of the Markdown in content, in order. file is
// only recorded in the snippets. A block left open runs to the end of the
// file, as in CommonMark.
func Extract(file string, content []byte) []Snippet {
	var (
		snippets []Snippet
		cur      *Snippet
		code     strings.Builder
		fence    string // the opening fence's characters, e.g. "```"
		indent   int
	)
	sc := bufio.NewScanner(bytes.NewReader(content))
	sc.Buffer(make([]byte, 0, 64*1024), 4<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimLeft(line, " ")
		lead := len(line) - len(trimmed)
		if cur == nil {
			if lead > 3 {
				continue
			}
			f, info, ok := openingFence(trimmed)
			if !ok {
				continue
			}
			cur = &Snippet{File: file, Line: n + 1, Info: info}
			fence, indent = f, lead
			code.Reset()
			continue
		}
		if lead <= 3 && isClosingFence(trimmed, fence) {
			cur.Code = code.String()
			snippets = append(snippets, *cur)
			cur = nil
			continue
		}
		// Remove up to the opening fence's indentation, as CommonMark does.
		strip := min(lead, indent)
		code.WriteString(line[strip:])
		code.WriteByte('\n')
	}
	if cur != nil {
		cur.Code = code.String()
		snippets = append(snippets, *cur)
	}
	return snippets
}

// openingFence recognises "```info" or "~~~info" (three or more characters).
func openingFence(s string) (fence, info string, ok bool) {
	if !strings.HasPrefix(s, "```") && !strings.HasPrefix(s, "~~~") {
		return "", "", false
	}
	c := s[0]
	i := 0
	for i < len(s) && s[i] == c {
		i++
	}
	info = strings.TrimSpace(s[i:])
	if c == '`' && strings.Contains(info, "`") {
		return "", "", false // not a fence: an inline code span
	}
	return s[:i], info, true
}

// isClosingFence recognises a fence of the same character, at least as long
// as the opening one, with nothing after it but spaces.
func isClosingFence(s, fence string) bool {
	s = strings.TrimRight(s, " \t")
	if len(s) < len(fence) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != fence[0] {
			return false
		}
	}
	return true
}

// Link is a relative link of a Markdown file: [text](target).
type Link struct {
	// File is the Markdown file's path, as given to Links.
	File string
	// Line is the 1-based line of the link.
	Line int
	// Target is the link target as written, e.g. "../harbor/robots.go" or
	// "harbor-behaviours.md#wrong-credentials-fall-back-to-anonymous".
	Target string
}

// Links returns the relative links of the Markdown in content, outside code
// blocks and code spans: targets with a scheme (https:, mailto:) are left
// out.
func Links(file string, content []byte) []Link {
	var links []Link
	inBlock := false
	var fence string
	for n, line := range strings.Split(string(content), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if !inBlock {
			if f, _, ok := openingFence(trimmed); ok && len(line)-len(trimmed) <= 3 {
				inBlock, fence = true, f
				continue
			}
		} else {
			if isClosingFence(trimmed, fence) {
				inBlock = false
			}
			continue
		}
		for _, target := range linkTargets(withoutCodeSpans(line)) {
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			links = append(links, Link{File: file, Line: n + 1, Target: target})
		}
	}
	return links
}

// withoutCodeSpans blanks `code spans` so that links inside them are ignored.
func withoutCodeSpans(line string) string {
	var b strings.Builder
	in := false
	for _, r := range line {
		if r == '`' {
			in = !in
		}
		if in {
			b.WriteRune(' ')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// linkTargets returns the targets of the inline links "[...](target)" in line.
func linkTargets(line string) []string {
	var out []string
	for {
		i := strings.Index(line, "](")
		if i < 0 {
			return out
		}
		rest := line[i+2:]
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			return out
		}
		target := strings.TrimSpace(rest[:end])
		if sp := strings.IndexByte(target, ' '); sp >= 0 {
			target = target[:sp] // drop a "title"
		}
		if target != "" {
			out = append(out, target)
		}
		line = rest[end+1:]
	}
}

// Anchors returns the GitHub anchors of the headings of the Markdown in
// content ("## Robot names get a prefix" gives "robot-names-get-a-prefix").
func Anchors(content []byte) map[string]bool {
	anchors := map[string]bool{}
	inBlock := false
	var fence string
	for _, line := range strings.Split(string(content), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if !inBlock {
			if f, _, ok := openingFence(trimmed); ok {
				inBlock, fence = true, f
				continue
			}
		} else {
			if isClosingFence(trimmed, fence) {
				inBlock = false
			}
			continue
		}
		if !strings.HasPrefix(trimmed, "#") {
			continue
		}
		title := strings.TrimSpace(strings.TrimLeft(trimmed, "#"))
		var b strings.Builder
		for _, r := range strings.ToLower(title) {
			switch {
			case r == ' ' || r == '-':
				b.WriteRune('-')
			case r == '_' || ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') || r > 127:
				b.WriteRune(r)
			}
		}
		anchors[b.String()] = true
	}
	return anchors
}
