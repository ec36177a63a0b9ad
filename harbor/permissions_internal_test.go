package harbor

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every facade helper's doc names the access its 403 error names, and
// every exported Client method that sends a request is in the table.
func TestHelperDocsListTheAccessTheyNeed(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	docs := map[string]string{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		require.NoError(t, err)
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv != nil && fn.Name.IsExported() && fn.Doc != nil {
				docs[fn.Name.Name] = fn.Doc.Text()
			}
		}
	}
	access := regexp.MustCompile(`[a-z-]+:[a-z]+`)
	for helper, needs := range helperNeeds {
		doc, ok := docs[helper]
		require.True(t, ok, "%s is in helperNeeds but is no documented method", helper)
		for _, a := range access.FindAllString(needs, -1) {
			assert.Contains(t, doc, a, "%s's doc does not name %s", helper, a)
		}
	}
	// Methods that send requests but need no permission beyond logging in.
	none := map[string]bool{"Ping": true, "Whoami": true, "ServerVersion": true, "CheckCompatibility": true, "RobotNamePrefix": true,
		"ProjectRobotName": true, "With": true, "API": true, "BaseURL": true, "Username": true, "String": true, "Format": true}
	for name := range docs {
		if _, ok := helperNeeds[name]; !ok && !none[name] && strings.Contains(docs[name], "ctx") {
			t.Errorf("%s takes a ctx but helperNeeds does not list its access", name)
		}
	}
}
