package gencheck

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/harborkit/harbor-sdk-go/gen/client"
	"github.com/harborkit/harbor-sdk-go/internal/specdiff"
)

const repoRoot = "../.."

// genOp is one runtime.ClientOperation literal found in gen/client.
type genOp struct {
	ID, Method, Path string
	Pkg              string // directory under gen/client, e.g. "scan_data_export"
	Func             string // enclosing method, e.g. "CreateRobot"
	Pos              string
}

// parseGenOps finds every `runtime.ClientOperation{ID: ...}` literal in
// gen/client/*/*_client.go and the method it sits in.
func parseGenOps(t *testing.T) []genOp {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot, "gen", "client", "*", "*_client.go"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no gen/client/*/*_client.go files")
	}
	fset := token.NewFileSet()
	var ops []genOp
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		pkg := filepath.Base(filepath.Dir(file))
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				lit, ok := n.(*ast.CompositeLit)
				if !ok || !isClientOperation(lit.Type) {
					return true
				}
				op := genOp{Pkg: pkg, Func: fn.Name.Name, Pos: fset.Position(lit.Pos()).String()}
				if fn.Recv == nil {
					t.Errorf("%s: ClientOperation outside a method (in func %s)", op.Pos, op.Func)
				}
				for _, elt := range lit.Elts {
					kv, ok := elt.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					key, ok := kv.Key.(*ast.Ident)
					if !ok {
						continue
					}
					val, ok := kv.Value.(*ast.BasicLit)
					if !ok || val.Kind != token.STRING {
						continue
					}
					s, err := strconv.Unquote(val.Value)
					if err != nil {
						t.Fatalf("%s: %v", op.Pos, err)
					}
					switch key.Name {
					case "ID":
						op.ID = s
					case "Method":
						op.Method = s
					case "PathPattern":
						op.Path = s
					}
				}
				if op.ID == "" {
					t.Errorf("%s: ClientOperation without a string ID", op.Pos)
				}
				ops = append(ops, op)
				return true
			})
		}
	}
	return ops
}

func isClientOperation(e ast.Expr) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "ClientOperation" {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "runtime"
}

// normalize makes a swagger tag and a go-swagger package name comparable:
// "scan data export" and "scan_data_export", "SystemCVEAllowlist" and
// "system_cve_allowlist".
func normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestCoverageOperations: every operationId in swagger.yaml has a generated
// method on the HarborAPI field for its tag, and gen/ has no operation that
// swagger.yaml lacks.
func TestCoverageOperations(t *testing.T) {
	spec, err := specdiff.Load(filepath.Join(repoRoot, "swagger.yaml"))
	if err != nil {
		t.Fatal(err)
	}

	genByID := map[string]genOp{}
	for _, op := range parseGenOps(t) {
		if prev, dup := genByID[op.ID]; dup {
			t.Errorf("operation %s generated twice: %s and %s", op.ID, prev.Pos, op.Pos)
		}
		genByID[op.ID] = op
	}

	// HarborAPI fields by generated package: the field `ScanDataExport
	// scan_data_export.API` serves package scan_data_export.
	api := reflect.ValueOf(client.New(client.Config{})).Elem()
	fieldByPkg := map[string]int{}
	for i := 0; i < api.NumField(); i++ {
		ft := api.Type().Field(i).Type
		if ft.Kind() != reflect.Interface || !strings.Contains(ft.PkgPath(), "/gen/client/") {
			continue // Transport
		}
		fieldByPkg[filepath.Base(ft.PkgPath())] = i
	}
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()

	covered := 0
	tagPkg := map[string]string{}
	for _, op := range spec.SortedOperations() {
		g, ok := genByID[op.ID]
		if !ok {
			t.Errorf("missing: operation %s (%s %s, tag %q) has no runtime.ClientOperation in gen/client", op.ID, op.Method, op.Path, op.Tag)
			continue
		}
		if g.Method != op.Method || g.Path != op.Path {
			t.Errorf("drift: %s is %s %s in swagger.yaml but %s %s in %s", op.ID, op.Method, op.Path, g.Method, g.Path, g.Pos)
		}
		if normalize(op.Tag) != normalize(g.Pkg) {
			t.Errorf("drift: %s has tag %q in swagger.yaml but is generated in gen/client/%s", op.ID, op.Tag, g.Pkg)
		}
		if p, seen := tagPkg[op.Tag]; seen && p != g.Pkg {
			t.Errorf("tag %q is split over gen/client/%s and gen/client/%s", op.Tag, p, g.Pkg)
		}
		tagPkg[op.Tag] = g.Pkg

		idx, ok := fieldByPkg[g.Pkg]
		if !ok {
			t.Errorf("missing: client.HarborAPI has no field for gen/client/%s (tag %q, operation %s)", g.Pkg, op.Tag, op.ID)
			continue
		}
		field := api.Type().Field(idx)
		m, ok := field.Type.MethodByName(g.Func)
		if !ok {
			t.Errorf("missing: client.HarborAPI.%s (%s) has no method %s for operation %s", field.Name, field.Type, g.Func, op.ID)
			continue
		}
		if m.Type.NumIn() == 0 || m.Type.In(0) != ctxType {
			t.Errorf("HarborAPI.%s.%s: first parameter is not context.Context: %s", field.Name, g.Func, m.Type)
		}
		if !api.Field(idx).MethodByName(g.Func).IsValid() {
			t.Errorf("client.New left HarborAPI.%s without a usable %s method", field.Name, g.Func)
			continue
		}
		covered++
	}

	// Extra: generated operations that swagger.yaml no longer has.
	var extra []string
	for id, g := range genByID {
		if _, ok := spec.Operations[id]; !ok {
			extra = append(extra, id+" ("+g.Pos+")")
		}
	}
	sort.Strings(extra)
	for _, e := range extra {
		t.Errorf("extra: gen/client has operation %s that swagger.yaml does not define; run make generate", e)
	}
	// Extra: HarborAPI fields (tags) with no operation in swagger.yaml.
	for pkg, idx := range fieldByPkg {
		used := false
		for _, p := range tagPkg {
			used = used || p == pkg
		}
		if !used {
			t.Errorf("extra: client.HarborAPI.%s (gen/client/%s) serves no tag of swagger.yaml", api.Type().Field(idx).Name, pkg)
		}
	}

	t.Logf("%d/%d swagger.yaml operations have a generated client.HarborAPI method (%d tags, %d generated operations)",
		covered, len(spec.Operations), len(tagPkg), len(genByID))
	if covered != len(spec.Operations) || len(genByID) != len(spec.Operations) {
		t.Errorf("coverage %d/%d, generated operations %d", covered, len(spec.Operations), len(genByID))
	}
}
