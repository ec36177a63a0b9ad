// Package doccheck finds exported identifiers that have no doc comment in
// the SDK's hand-written packages. Its test runs the check over harbor/,
// credentials/, harbortest/ and internal/ (gen/ is generated and examples/
// are commands), so `go test ./...` fails on an undocumented identifier.
//
// Checked: the package comment; exported constants and variables (a comment
// on their group counts); exported functions; exported types; and the
// exported methods of exported types. Struct fields and interface methods
// are not checked. A package main needs only its package comment.
package doccheck

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Gap is one exported identifier (or package) without a doc comment.
type Gap struct {
	// Pos is where the identifier is declared.
	Pos token.Position
	// Kind is "package", "const", "var", "func", "type" or "method".
	Kind string
	// Name is the identifier, "Type.Method" for a method, or the package name.
	Name string
}

// String formats the gap as "file:line: kind Name has no doc comment".
func (g Gap) String() string {
	return fmt.Sprintf("%s:%d: %s %s has no doc comment", g.Pos.Filename, g.Pos.Line, g.Kind, g.Name)
}

// PackageDirs returns the directories under root/rel, for each rel, that hold
// a Go package with non-test files, sorted. Directories named testdata, and
// those whose names start with "." or "_", are skipped, as the go command
// does.
func PackageDirs(root string, rels ...string) ([]string, error) {
	var dirs []string
	for _, rel := range rels {
		err := filepath.WalkDir(filepath.Join(root, rel), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() {
				return nil
			}
			name := d.Name()
			if path != filepath.Join(root, rel) && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			files, err := goFiles(path)
			if err != nil {
				return err
			}
			if len(files) > 0 {
				dirs = append(dirs, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(dirs)
	return dirs, nil
}

// goFiles lists the non-test .go files of dir.
func goFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") &&
			!strings.HasPrefix(n, ".") && !strings.HasPrefix(n, "_") {
			files = append(files, filepath.Join(dir, n))
		}
	}
	return files, nil
}

// CheckDir parses the non-test Go files of the package in dir (build
// constraints are not evaluated: every file counts) and returns its gaps,
// in source order.
func CheckDir(dir string) ([]Gap, error) {
	paths, err := goFiles(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, p := range paths {
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, nil
	}
	var gaps []Gap
	gap := func(pos token.Pos, kind, name string) {
		gaps = append(gaps, Gap{Pos: fset.Position(pos), Kind: kind, Name: name})
	}

	pkgName := files[0].Name.Name
	documented := false
	for _, f := range files {
		documented = documented || f.Doc != nil && strings.TrimSpace(f.Doc.Text()) != ""
	}
	if !documented {
		gap(files[0].Name.Pos(), "package", pkgName)
	}
	if pkgName == "main" {
		return sortGaps(gaps), nil
	}

	pkg, err := doc.NewFromFiles(fset, files, dir)
	if err != nil {
		return nil, err
	}
	values := func(kind string, vs []*doc.Value) {
		for _, v := range vs {
			if v.Doc != "" {
				continue // the group's comment documents every name in it
			}
			for _, spec := range v.Decl.Specs {
				vs := spec.(*ast.ValueSpec)
				if hasText(vs.Doc) || hasText(vs.Comment) {
					continue
				}
				for _, n := range vs.Names {
					if n.IsExported() {
						gap(n.Pos(), kind, n.Name)
					}
				}
			}
		}
	}
	funcs := func(kind, prefix string, fs []*doc.Func) {
		for _, f := range fs {
			if f.Doc == "" && f.Level == 0 {
				gap(f.Decl.Name.Pos(), kind, prefix+f.Name)
			}
		}
	}
	values("const", pkg.Consts)
	values("var", pkg.Vars)
	funcs("func", "", pkg.Funcs)
	for _, t := range pkg.Types {
		if t.Doc == "" {
			gap(typePos(t), "type", t.Name)
		}
		values("const", t.Consts)
		values("var", t.Vars)
		funcs("func", "", t.Funcs)
		funcs("method", t.Name+".", t.Methods)
	}
	return sortGaps(gaps), nil
}

func hasText(cg *ast.CommentGroup) bool { return cg != nil && strings.TrimSpace(cg.Text()) != "" }

// typePos is the position of t's name in its declaration.
func typePos(t *doc.Type) token.Pos {
	for _, s := range t.Decl.Specs {
		if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.Name == t.Name {
			return ts.Name.Pos()
		}
	}
	return t.Decl.Pos()
}

func sortGaps(gaps []Gap) []Gap {
	sort.SliceStable(gaps, func(i, j int) bool {
		a, b := gaps[i].Pos, gaps[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Offset < b.Offset
	})
	return gaps
}
