// Package specdiff loads Swagger 2.0 specs (such as Harbor's swagger.yaml) into
// a small model of what matters to the generated client — operations, their
// parameters and response codes, definitions and their properties — and diffs
// two of them.
package specdiff

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Spec is the part of a Swagger 2.0 document that specdiff compares.
type Spec struct {
	File        string                 // path it was loaded from
	Operations  map[string]*Operation  // by operationId
	Definitions map[string]*Definition // by definition name
}

// Operation is one HTTP operation.
type Operation struct {
	ID         string
	Method     string // upper case: GET, POST, ...
	Path       string
	Tag        string // first tag, "" if none
	Deprecated bool
	Params     map[string]*Param // by ParamKey(in, name)
	Responses  map[string]string // status code ("200", "default") -> schema type, "" when no body
}

// Param is one operation parameter, after resolving #/parameters/ references.
type Param struct {
	Name     string
	In       string
	Required bool
	Type     string // e.g. "string", "integer(int64)", "[]string", "ProjectReq" (body schema)
}

// Definition is one entry of #/definitions.
type Definition struct {
	Name  string
	Type  string           // "object", "[]Foo", "string", ...
	Props map[string]*Prop // flattened: nested inline objects as "a.b", array items as "a[].b"
}

// Prop is one (possibly nested) property of a definition.
type Prop struct {
	Type     string
	Required bool
}

// ParamKey is the key of a parameter in Operation.Params.
func ParamKey(in, name string) string { return in + " " + name }

// SortedOperations returns the operations sorted by operationId.
func (s *Spec) SortedOperations() []*Operation {
	out := make([]*Operation, 0, len(s.Operations))
	for _, op := range s.Operations {
		out = append(out, op)
	}
	sort.Slice(out, func(i, j int) bool { return idLess(out[i].ID, out[j].ID) })
	return out
}

// idLess orders identifiers case-insensitively (Harbor mixes "CreateRobot"
// and "getLogExts"), falling back to byte order so the order is total.
func idLess(a, b string) bool {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la != lb {
		return la < lb
	}
	return a < b
}

// --- raw YAML model -------------------------------------------------------

type rawSpec struct {
	Swagger     string                 `yaml:"swagger"`
	Paths       map[string]yaml.Node   `yaml:"paths"`
	Definitions map[string]*rawSchema  `yaml:"definitions"`
	Parameters  map[string]*rawParam   `yaml:"parameters"`
	Responses   map[string]rawResponse `yaml:"responses"`
}

type rawOperation struct {
	OperationID string                 `yaml:"operationId"`
	Tags        []string               `yaml:"tags"`
	Deprecated  bool                   `yaml:"deprecated"`
	Parameters  []*rawParam            `yaml:"parameters"`
	Responses   map[string]rawResponse `yaml:"responses"`
}

type rawParam struct {
	Ref      string     `yaml:"$ref"`
	Name     string     `yaml:"name"`
	In       string     `yaml:"in"`
	Required bool       `yaml:"required"`
	Type     string     `yaml:"type"`
	Format   string     `yaml:"format"`
	Items    *rawSchema `yaml:"items"`
	Schema   *rawSchema `yaml:"schema"`
}

type rawResponse struct {
	Ref    string     `yaml:"$ref"`
	Schema *rawSchema `yaml:"schema"`
}

type rawSchema struct {
	Ref                  string                `yaml:"$ref"`
	Type                 string                `yaml:"type"`
	Format               string                `yaml:"format"`
	Items                *rawSchema            `yaml:"items"`
	Properties           map[string]*rawSchema `yaml:"properties"`
	AdditionalProperties yaml.Node             `yaml:"additionalProperties"` // bool or schema; Kind 0 when absent
	Required             []string              `yaml:"required"`
	AllOf                []*rawSchema          `yaml:"allOf"`
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch"}

// Load reads a Swagger 2.0 spec (YAML or JSON). Every error names the file.
func Load(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err // *PathError already names the file
	}
	s, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.File = path
	return s, nil
}

// Parse parses a Swagger 2.0 spec from memory.
func Parse(data []byte) (*Spec, error) {
	var raw rawSpec
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("not valid YAML/JSON: %w", err)
	}
	if raw.Swagger != "2.0" {
		if raw.Swagger == "" {
			return nil, errors.New(`not a Swagger 2.0 spec (no "swagger: '2.0'" field)`)
		}
		return nil, fmt.Errorf("not a Swagger 2.0 spec (swagger: %q)", raw.Swagger)
	}
	if len(raw.Paths) == 0 {
		return nil, errors.New("spec has no paths")
	}

	s := &Spec{Operations: map[string]*Operation{}, Definitions: map[string]*Definition{}}
	for _, path := range sortedKeys(raw.Paths) { // sorted: errors are deterministic
		node := raw.Paths[path]
		if err := s.addPath(&raw, path, &node); err != nil {
			return nil, fmt.Errorf("paths %s: %w", path, err)
		}
	}
	for name, schema := range raw.Definitions {
		s.Definitions[name] = newDefinition(name, schema)
	}
	return s, nil
}

func (s *Spec) addPath(raw *rawSpec, path string, node *yaml.Node) error {
	if node.Kind != yaml.MappingNode {
		return errors.New("path item is not a mapping")
	}
	var item struct {
		Ref        string      `yaml:"$ref"`
		Parameters []*rawParam `yaml:"parameters"`
	}
	if err := node.Decode(&item); err != nil {
		return err
	}
	if item.Ref != "" {
		return fmt.Errorf("path item $ref %q is not supported", item.Ref)
	}
	for i := 0; i+1 < len(node.Content); i += 2 {
		method := node.Content[i].Value
		if !isHTTPMethod(method) {
			continue
		}
		var ro rawOperation
		if err := node.Content[i+1].Decode(&ro); err != nil {
			return fmt.Errorf("%s: %w", method, err)
		}
		op := &Operation{
			ID:         ro.OperationID,
			Method:     strings.ToUpper(method),
			Path:       path,
			Deprecated: ro.Deprecated,
			Params:     map[string]*Param{},
			Responses:  map[string]string{},
		}
		if op.ID == "" {
			// go-swagger would invent a name; identify it by method and path.
			op.ID = op.Method + " " + path
		}
		if len(ro.Tags) > 0 {
			op.Tag = ro.Tags[0]
		}
		// Path-level parameters first; operation-level ones override them.
		for _, list := range [][]*rawParam{item.Parameters, ro.Parameters} {
			for _, rp := range list {
				p, err := resolveParam(raw, rp)
				if err != nil {
					return fmt.Errorf("%s %s: %w", method, op.ID, err)
				}
				op.Params[ParamKey(p.In, p.Name)] = p
			}
		}
		for code, rr := range ro.Responses {
			if rr.Ref != "" {
				name, ok := strings.CutPrefix(rr.Ref, "#/responses/")
				shared, found := raw.Responses[name]
				if !ok || !found {
					return fmt.Errorf("%s %s: response %s: unresolved $ref %q", method, op.ID, code, rr.Ref)
				}
				rr = shared
			}
			op.Responses[code] = schemaType(rr.Schema)
		}
		if prev, dup := s.Operations[op.ID]; dup {
			return fmt.Errorf("duplicate operationId %q (also %s %s)", op.ID, prev.Method, prev.Path)
		}
		s.Operations[op.ID] = op
	}
	return nil
}

func isHTTPMethod(m string) bool {
	for _, h := range httpMethods {
		if m == h {
			return true
		}
	}
	return false
}

func resolveParam(raw *rawSpec, rp *rawParam) (*Param, error) {
	if rp == nil {
		return nil, errors.New("empty parameter")
	}
	if rp.Ref != "" {
		name, ok := strings.CutPrefix(rp.Ref, "#/parameters/")
		shared, found := raw.Parameters[name]
		if !ok || !found || shared == nil {
			return nil, fmt.Errorf("unresolved parameter $ref %q", rp.Ref)
		}
		rp = shared
	}
	if rp.Name == "" || rp.In == "" {
		return nil, errors.New("parameter without name or in")
	}
	p := &Param{Name: rp.Name, In: rp.In, Required: rp.Required}
	if rp.In == "body" {
		p.Type = schemaType(rp.Schema)
	} else {
		p.Type = schemaType(&rawSchema{Type: rp.Type, Format: rp.Format, Items: rp.Items})
	}
	return p, nil
}

// schemaType renders a schema as a short Go-like type: "string",
// "integer(int64)", "[]Label", "map[string]string", "object", "Project".
func schemaType(s *rawSchema) string {
	if s == nil {
		return ""
	}
	if s.Ref != "" {
		if name, ok := strings.CutPrefix(s.Ref, "#/definitions/"); ok {
			return name
		}
		return s.Ref
	}
	if len(s.AllOf) > 0 {
		parts := make([]string, len(s.AllOf))
		for i, sub := range s.AllOf {
			parts[i] = schemaType(sub)
		}
		return "allOf(" + strings.Join(parts, ", ") + ")"
	}
	switch s.Type {
	case "array":
		if s.Items == nil {
			return "[]any"
		}
		return "[]" + schemaType(s.Items)
	case "object", "":
		if ap := &s.AdditionalProperties; ap.Kind != 0 {
			if ap.Kind == yaml.ScalarNode {
				if strings.EqualFold(ap.Value, "true") {
					return "map[string]any"
				}
			} else {
				var sub rawSchema
				if err := ap.Decode(&sub); err == nil {
					if t := schemaType(&sub); t != "" && t != "any" {
						return "map[string]" + t
					}
					return "map[string]any"
				}
			}
		}
		if s.Type == "" && len(s.Properties) == 0 {
			return "any"
		}
		return "object"
	}
	if s.Format != "" {
		return s.Type + "(" + s.Format + ")"
	}
	return s.Type
}

func newDefinition(name string, s *rawSchema) *Definition {
	d := &Definition{Name: name, Props: map[string]*Prop{}}
	if s == nil {
		d.Type = "any"
		return d
	}
	d.Type = schemaType(s)
	flattenProps("", s, d.Props)
	for _, sub := range s.AllOf { // inline allOf members contribute properties
		if sub != nil && sub.Ref == "" {
			flattenProps("", sub, d.Props)
		}
	}
	return d
}

func flattenProps(prefix string, s *rawSchema, out map[string]*Prop) {
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	for name, ps := range s.Properties {
		key := prefix + name
		out[key] = &Prop{Type: schemaType(ps), Required: required[name]}
		if ps == nil || ps.Ref != "" {
			continue
		}
		switch {
		case len(ps.Properties) > 0:
			flattenProps(key+".", ps, out)
		case ps.Type == "array" && ps.Items != nil && ps.Items.Ref == "" && len(ps.Items.Properties) > 0:
			flattenProps(key+"[].", ps.Items, out)
		}
	}
}
