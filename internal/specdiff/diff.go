package specdiff

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Result is the difference between two specs. All slices are sorted.
type Result struct {
	OldLabel, NewLabel string

	AddedOps, RemovedOps []*Operation
	ChangedOps           []OpChange

	AddedDefs, RemovedDefs []*Definition
	ChangedDefs            []DefChange
}

// OpChange lists what changed in an operation present in both specs.
type OpChange struct {
	Old, New *Operation
	Changes  []string // Markdown lines, in a fixed order
}

// DefChange lists what changed in a definition present in both specs.
type DefChange struct {
	Name    string
	Changes []string // Markdown lines, in a fixed order
}

// Empty reports whether the specs are equivalent for everything specdiff compares.
func (r *Result) Empty() bool {
	return len(r.AddedOps)+len(r.RemovedOps)+len(r.ChangedOps)+
		len(r.AddedDefs)+len(r.RemovedDefs)+len(r.ChangedDefs) == 0
}

// Diff compares two specs. The labels name them in the report (file names or
// Harbor versions).
func Diff(old, new *Spec, oldLabel, newLabel string) *Result {
	r := &Result{OldLabel: oldLabel, NewLabel: newLabel}

	for _, op := range old.SortedOperations() {
		nop, ok := new.Operations[op.ID]
		if !ok {
			r.RemovedOps = append(r.RemovedOps, op)
			continue
		}
		if ch := diffOperation(op, nop); len(ch) > 0 {
			r.ChangedOps = append(r.ChangedOps, OpChange{Old: op, New: nop, Changes: ch})
		}
	}
	for _, op := range new.SortedOperations() {
		if _, ok := old.Operations[op.ID]; !ok {
			r.AddedOps = append(r.AddedOps, op)
		}
	}

	for _, name := range sortedKeys(old.Definitions) {
		od := old.Definitions[name]
		nd, ok := new.Definitions[name]
		if !ok {
			r.RemovedDefs = append(r.RemovedDefs, od)
			continue
		}
		if ch := diffDefinition(od, nd); len(ch) > 0 {
			r.ChangedDefs = append(r.ChangedDefs, DefChange{Name: name, Changes: ch})
		}
	}
	for _, name := range sortedKeys(new.Definitions) {
		if _, ok := old.Definitions[name]; !ok {
			r.AddedDefs = append(r.AddedDefs, new.Definitions[name])
		}
	}
	return r
}

func diffOperation(o, n *Operation) []string {
	var out []string
	if o.Method != n.Method || o.Path != n.Path {
		out = append(out, fmt.Sprintf("moved: `%s %s` → `%s %s`", o.Method, o.Path, n.Method, n.Path))
	}
	if o.Tag != n.Tag {
		out = append(out, fmt.Sprintf("tag changed: `%s` → `%s` (moves to another generated client)", o.Tag, n.Tag))
	}
	if o.Deprecated != n.Deprecated {
		if n.Deprecated {
			out = append(out, "now deprecated")
		} else {
			out = append(out, "no longer deprecated")
		}
	}

	oldKeys, newKeys := sortedParamKeys(o.Params), sortedParamKeys(n.Params)
	for _, k := range newKeys {
		if _, ok := o.Params[k]; !ok {
			out = append(out, "parameter added: "+describeParam(n.Params[k]))
		}
	}
	for _, k := range oldKeys {
		if _, ok := n.Params[k]; !ok {
			out = append(out, "parameter removed: "+describeParam(o.Params[k]))
		}
	}
	for _, k := range oldKeys {
		op, np := o.Params[k], n.Params[k]
		if np == nil {
			continue
		}
		var what []string
		if op.Type != np.Type {
			what = append(what, fmt.Sprintf("type `%s` → `%s`", op.Type, np.Type))
		}
		if op.Required != np.Required {
			what = append(what, requiredWord(op.Required)+" → "+requiredWord(np.Required))
		}
		if len(what) > 0 {
			out = append(out, fmt.Sprintf("parameter changed: `%s` (in %s): %s", np.Name, np.In, strings.Join(what, ", ")))
		}
	}

	var added, removed []string
	for _, c := range sortedKeys(n.Responses) {
		if _, ok := o.Responses[c]; !ok {
			added = append(added, "`"+c+"`")
		}
	}
	for _, c := range sortedKeys(o.Responses) {
		if _, ok := n.Responses[c]; !ok {
			removed = append(removed, "`"+c+"`")
		}
	}
	if len(added) > 0 {
		out = append(out, plural(len(added), "response", "responses")+" added: "+strings.Join(added, ", "))
	}
	if len(removed) > 0 {
		out = append(out, plural(len(removed), "response", "responses")+" removed: "+strings.Join(removed, ", "))
	}
	for _, c := range sortedKeys(o.Responses) {
		nt, ok := n.Responses[c]
		if ot := o.Responses[c]; ok && ot != nt {
			out = append(out, fmt.Sprintf("response `%s` body changed: %s → %s", c, bodyType(ot), bodyType(nt)))
		}
	}
	return out
}

func diffDefinition(o, n *Definition) []string {
	var out []string
	if o.Type != n.Type {
		out = append(out, fmt.Sprintf("type changed: `%s` → `%s`", o.Type, n.Type))
	}
	for _, k := range sortedKeys(n.Props) {
		if _, ok := o.Props[k]; !ok {
			out = append(out, "property added: "+describeProp(k, n.Props[k]))
		}
	}
	for _, k := range sortedKeys(o.Props) {
		if _, ok := n.Props[k]; !ok {
			out = append(out, "property removed: "+describeProp(k, o.Props[k]))
		}
	}
	for _, k := range sortedKeys(o.Props) {
		op, np := o.Props[k], n.Props[k]
		if np == nil {
			continue
		}
		if op.Type != np.Type {
			out = append(out, fmt.Sprintf("property type changed: `%s`: `%s` → `%s`", k, op.Type, np.Type))
		}
		if op.Required != np.Required {
			out = append(out, fmt.Sprintf("property `%s`: %s → %s", k, requiredWord(op.Required), requiredWord(np.Required)))
		}
	}
	return out
}

func describeParam(p *Param) string {
	return fmt.Sprintf("`%s` (in %s, %s, `%s`)", p.Name, p.In, requiredWord(p.Required), p.Type)
}

func describeProp(name string, p *Prop) string {
	s := fmt.Sprintf("`%s` (`%s`", name, p.Type)
	if p.Required {
		s += ", required"
	}
	return s + ")"
}

func requiredWord(r bool) string {
	if r {
		return "required"
	}
	return "optional"
}

func bodyType(t string) string {
	if t == "" {
		return "none"
	}
	return "`" + t + "`"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return idLess(keys[i], keys[j]) })
	return keys
}

// sortedParamKeys orders parameters by location (path, query, header, body,
// formData) then name, the way they read in a URL.
func sortedParamKeys(m map[string]*Param) []string {
	rank := map[string]int{"path": 0, "query": 1, "header": 2, "body": 3, "formData": 4}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := m[keys[i]], m[keys[j]]
		ra, oka := rank[a.In]
		rb, okb := rank[b.In]
		if !oka {
			ra = len(rank)
		}
		if !okb {
			rb = len(rank)
		}
		if ra != rb {
			return ra < rb
		}
		if a.In != b.In {
			return a.In < b.In
		}
		return idLess(a.Name, b.Name)
	})
	return keys
}

// Summary is a one-line description of the result, e.g.
// "3 operations added, 1 operation changed, 1 definition added".
func (r *Result) Summary() string {
	if r.Empty() {
		return "no API changes"
	}
	var parts []string
	add := func(n int, one, many, verb string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s %s", n, plural(n, one, many), verb))
		}
	}
	add(len(r.AddedOps), "operation", "operations", "added")
	add(len(r.RemovedOps), "operation", "operations", "removed")
	add(len(r.ChangedOps), "operation", "operations", "changed")
	add(len(r.AddedDefs), "definition", "definitions", "added")
	add(len(r.RemovedDefs), "definition", "definitions", "removed")
	add(len(r.ChangedDefs), "definition", "definitions", "changed")
	return strings.Join(parts, ", ")
}

// WriteMarkdown writes the result as Markdown suitable for a pull request
// description: a heading, the one-line summary, then one section per kind of
// change (sections without entries are left out).
func (r *Result) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## Harbor API changes: `%s` → `%s`\n\n", r.OldLabel, r.NewLabel)
	fmt.Fprintf(&b, "**Summary:** %s.\n", r.Summary())

	section := func(title string, n int) {
		fmt.Fprintf(&b, "\n### %s (%d)\n\n", title, n)
	}
	opLine := func(op *Operation) string {
		s := fmt.Sprintf("- `%s`: `%s %s`", op.ID, op.Method, op.Path)
		if op.Tag != "" {
			s += fmt.Sprintf(" (tag `%s`)", op.Tag)
		}
		return s + "\n"
	}
	if len(r.AddedOps) > 0 {
		section("Operations added", len(r.AddedOps))
		for _, op := range r.AddedOps {
			b.WriteString(opLine(op))
		}
	}
	if len(r.RemovedOps) > 0 {
		section("Operations removed", len(r.RemovedOps))
		for _, op := range r.RemovedOps {
			b.WriteString(opLine(op))
		}
	}
	if len(r.ChangedOps) > 0 {
		section("Operations changed", len(r.ChangedOps))
		for _, c := range r.ChangedOps {
			fmt.Fprintf(&b, "- `%s`: `%s %s`\n", c.New.ID, c.New.Method, c.New.Path)
			for _, line := range c.Changes {
				fmt.Fprintf(&b, "  - %s\n", line)
			}
		}
	}
	if len(r.AddedDefs) > 0 {
		section("Definitions added", len(r.AddedDefs))
		for _, d := range r.AddedDefs {
			fmt.Fprintf(&b, "- `%s` (%s)\n", d.Name, defShape(d))
		}
	}
	if len(r.RemovedDefs) > 0 {
		section("Definitions removed", len(r.RemovedDefs))
		for _, d := range r.RemovedDefs {
			fmt.Fprintf(&b, "- `%s` (%s)\n", d.Name, defShape(d))
		}
	}
	if len(r.ChangedDefs) > 0 {
		section("Definitions changed", len(r.ChangedDefs))
		for _, c := range r.ChangedDefs {
			fmt.Fprintf(&b, "- `%s`\n", c.Name)
			for _, line := range c.Changes {
				fmt.Fprintf(&b, "  - %s\n", line)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func defShape(d *Definition) string {
	if d.Type == "object" {
		return fmt.Sprintf("object, %d %s", len(d.Props), plural(len(d.Props), "property", "properties"))
	}
	return "`" + d.Type + "`"
}
