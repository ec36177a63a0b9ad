package specdiff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*/want.md from the current output")

// loadPair loads testdata/<name>/old.yaml and new.yaml (or new.json).
func loadPair(t *testing.T, name string) (*Spec, *Spec) {
	t.Helper()
	dir := filepath.Join("testdata", name)
	old, err := Load(filepath.Join(dir, "old.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	newFile := filepath.Join(dir, "new.yaml")
	if _, err := os.Stat(newFile); err != nil {
		newFile = filepath.Join(dir, "new.json")
	}
	new, err := Load(newFile)
	if err != nil {
		t.Fatal(err)
	}
	return old, new
}

func diffPair(t *testing.T, name string) *Result {
	t.Helper()
	old, new := loadPair(t, name)
	return Diff(old, new, "old", "new")
}

func markdown(t *testing.T, r *Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func opIDs(ops []*Operation) []string {
	var ids []string
	for _, op := range ops {
		ids = append(ids, op.ID)
	}
	return ids
}

func defNames(defs []*Definition) []string {
	var names []string
	for _, d := range defs {
		names = append(names, d.Name)
	}
	return names
}

func changedOp(t *testing.T, r *Result, id string) []string {
	t.Helper()
	for _, c := range r.ChangedOps {
		if c.New.ID == id {
			return c.Changes
		}
	}
	t.Fatalf("operation %s not reported as changed; changed: %+v", id, r.ChangedOps)
	return nil
}

func changedDef(t *testing.T, r *Result, name string) []string {
	t.Helper()
	for _, c := range r.ChangedDefs {
		if c.Name == name {
			return c.Changes
		}
	}
	t.Fatalf("definition %s not reported as changed; changed: %+v", name, r.ChangedDefs)
	return nil
}

func wantLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got: %q\nwant: %q", what, got, want)
	}
}

// TestGolden checks the full Markdown report of every testdata pair.
// Run `go test ./internal/specdiff -update` to rewrite want.md after an
// intended change, and review the diff.
func TestGolden(t *testing.T) {
	for _, name := range []string{"operations", "parameters", "responses", "definitions", "properties", "moved", "nochange"} {
		t.Run(name, func(t *testing.T) {
			got := markdown(t, diffPair(t, name))
			wantFile := filepath.Join("testdata", name, "want.md")
			if *update {
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("report differs from %s:\n--- got\n%s\n--- want\n%s", wantFile, got, want)
			}
		})
	}
}

func TestOperationsAddedRemoved(t *testing.T) {
	r := diffPair(t, "operations")
	wantLines(t, "added", opIDs(r.AddedOps), []string{"createC", "ListC"})
	wantLines(t, "removed", opIDs(r.RemovedOps), []string{"deleteB"})
	if len(r.ChangedOps) != 0 || len(r.AddedDefs)+len(r.RemovedDefs)+len(r.ChangedDefs) != 0 {
		t.Errorf("unexpected changes: %+v", r)
	}
	if got := r.RemovedOps[0]; got.Method != "DELETE" || got.Path != "/b/{id}" || got.Tag != "beta" {
		t.Errorf("removed op = %+v", got)
	}
	if got, want := r.Summary(), "2 operations added, 1 operation removed"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
}

func TestParameters(t *testing.T) {
	r := diffPair(t, "parameters")
	wantLines(t, "listThings", changedOp(t, r, "listThings"), []string{
		"parameter added: `sort` (in query, optional, `string`)",
		"parameter added: `q` (in header, optional, `string`)",
		"parameter removed: `q` (in query, optional, `string`)",
		"parameter removed: `X-Request-Id` (in header, optional, `string`)",
		"parameter changed: `labels` (in query): type `[]string` → `[]integer`",
		"parameter changed: `page` (in query): type `integer(int32)` → `integer(int64)`, optional → required",
	})
	wantLines(t, "updateThing", changedOp(t, r, "updateThing"), []string{
		"parameter changed: `thing_id` (in path): type `integer` → `string`",
		"parameter changed: `thing` (in body): type `Thing` → `NewThing`, required → optional",
	})
	if len(r.ChangedOps) != 2 || len(r.AddedOps)+len(r.RemovedOps) != 0 {
		t.Errorf("unexpected operation changes: %+v", r)
	}
}

func TestResponses(t *testing.T) {
	r := diffPair(t, "responses")
	wantLines(t, "listProjects", changedOp(t, r, "listProjects"), []string{
		"responses added: `400`, `422`",
		"response removed: `500`",
		"response `200` body changed: `[]Project` → `ProjectPage`",
	})
	if len(r.ChangedOps) != 1 { // headProject: only descriptions changed
		t.Errorf("changed operations = %d, want 1: %+v", len(r.ChangedOps), r.ChangedOps)
	}
	wantLines(t, "definitions added", defNames(r.AddedDefs), []string{"ProjectPage"})
}

func TestDefinitions(t *testing.T) {
	r := diffPair(t, "definitions")
	wantLines(t, "added", defNames(r.AddedDefs), []string{"NewTag"})
	wantLines(t, "removed", defNames(r.RemovedDefs), []string{"OldStats"})
	wantLines(t, "Names", changedDef(t, r, "Names"), []string{"type changed: `[]string` → `map[string]string`"})
	if len(r.ChangedDefs) != 1 { // Keep: only descriptions changed
		t.Errorf("changed definitions = %+v, want only Names", r.ChangedDefs)
	}
	if got, want := r.Summary(), "1 definition added, 1 definition removed, 1 definition changed"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
}

func TestProperties(t *testing.T) {
	r := diffPair(t, "properties")
	wantLines(t, "Registry", changedDef(t, r, "Registry"), []string{
		"property added: `ca_certificate` (`string`)",
		"property added: `credential.access_secret` (`string(password)`)",
		"property removed: `insecure` (`boolean`)",
		"property type changed: `extensions`: `map[string]any` → `map[string]string`",
		"property type changed: `filters[].kind`: `string` → `integer`",
		"property type changed: `id`: `integer(int64)` → `string`",
		"property type changed: `labels`: `[]Label` → `[]NewLabel`",
		"property `url`: optional → required",
	})
	wantLines(t, "added", defNames(r.AddedDefs), []string{"NewLabel"})
}

func TestMoved(t *testing.T) {
	r := diffPair(t, "moved")
	wantLines(t, "UpdateRobot", changedOp(t, r, "UpdateRobot"), []string{
		"moved: `PUT /robots/{id}` → `PATCH /robots/{id}`",
		"tag changed: `robotv1` → `robot` (moves to another generated client)",
	})
	wantLines(t, "ListJobs", changedOp(t, r, "ListJobs"), []string{
		"moved: `GET /jobs` → `GET /jobservice/jobs`",
		"now deprecated",
	})
}

// TestNoChange: YAML vs JSON, keys reordered, descriptions and summaries
// added — nothing specdiff compares changed.
func TestNoChange(t *testing.T) {
	r := diffPair(t, "nochange")
	if !r.Empty() {
		t.Errorf("want no changes, got %+v", r)
	}
	if got := r.Summary(); got != "no API changes" {
		t.Errorf("Summary() = %q", got)
	}
}

// TestSwaggerYAMLAgainstItself: the repository's spec parses, has the counts
// recorded in SWAGGER_SOURCE.md, and diffs clean against itself.
func TestSwaggerYAMLAgainstItself(t *testing.T) {
	file := filepath.Join("..", "..", "swagger.yaml")
	a, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d operations, %d definitions", file, len(a.Operations), len(a.Definitions))
	if len(a.Operations) < 200 || len(a.Definitions) < 150 {
		t.Errorf("suspiciously small spec: %d operations, %d definitions", len(a.Operations), len(a.Definitions))
	}
	for _, op := range a.Operations {
		if op.Tag == "" {
			t.Errorf("operation %s has no tag", op.ID)
		}
	}
	r := Diff(a, b, "swagger.yaml", "swagger.yaml")
	if !r.Empty() {
		t.Fatalf("swagger.yaml differs from itself:\n%s", markdown(t, r))
	}
	if got := markdown(t, r); !strings.Contains(got, "**Summary:** no API changes.") {
		t.Errorf("report for identical specs:\n%s", got)
	}
}

// TestDeterministic: map iteration order must not leak into the report.
func TestDeterministic(t *testing.T) {
	for _, name := range []string{"parameters", "properties", "operations"} {
		first := markdown(t, diffPair(t, name))
		for i := 0; i < 20; i++ {
			if got := markdown(t, diffPair(t, name)); got != first {
				t.Fatalf("%s: run %d differs:\n%s\nvs\n%s", name, i, got, first)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	for file, want := range map[string]string{
		"testdata/bad/missing.yaml":    "no such file",
		"testdata/bad/invalid.yaml":    "not valid YAML/JSON",
		"testdata/bad/openapi3.yaml":   "not a Swagger 2.0 spec",
		"testdata/bad/unresolved.yaml": `unresolved parameter $ref "#/parameters/missing"`,
		"testdata/bad/duplicate.yaml":  `duplicate operationId "same" (also GET /a)`,
	} {
		_, err := Load(file)
		if err == nil {
			t.Errorf("Load(%s): no error", file)
			continue
		}
		if !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), want) {
			t.Errorf("Load(%s) error = %q, want it to name the file and contain %q", file, err, want)
		}
	}
}
