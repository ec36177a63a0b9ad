package doccheck

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// handWritten are the directories, relative to the module root, whose
// packages must document every exported identifier.
var handWritten = []string{"harbor", "credentials", "harbortest", "internal"}

// TestHandWrittenPackagesAreDocumented is the check itself.
func TestHandWrittenPackagesAreDocumented(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	dirs, err := PackageDirs(root, handWritten...)
	require.NoError(t, err)
	require.Contains(t, dirs, filepath.Join(root, "harbor"), "found the module's packages")

	var report []string
	for _, dir := range dirs {
		gaps, err := CheckDir(dir)
		require.NoError(t, err, dir)
		for _, g := range gaps {
			rel, _ := filepath.Rel(root, g.Pos.Filename)
			g.Pos.Filename = rel
			report = append(report, g.String())
		}
	}
	t.Logf("checked %d packages", len(dirs))
	if len(report) > 0 {
		t.Errorf("%d exported identifiers have no doc comment (checked %d packages):\n\t%s",
			len(report), len(dirs), strings.Join(report, "\n\t"))
	}
}

func TestCheckDirFindsEveryGap(t *testing.T) {
	gaps, err := CheckDir(filepath.Join("testdata", "gaps"))
	require.NoError(t, err)
	var got []string
	for _, g := range gaps {
		got = append(got, filepath.Base(g.Pos.Filename)+" "+g.Kind+" "+g.Name)
	}
	assert.Equal(t, []string{
		"gaps.go package gaps",
		"gaps.go const Undocumented",
		"gaps.go const NoDocA",
		"gaps.go var UndocumentedVar",
		"gaps.go func NewUndocumented",
		"gaps.go method T.MethodUndocumented",
		"gaps.go type U",
		"gaps.go func Func",
		"more.go type GroupedUndocumented",
	}, got)
	assert.Equal(t, "gaps.go", filepath.Base(gaps[0].Pos.Filename))
	assert.Equal(t, 1, gaps[0].Pos.Line)
	assert.True(t, strings.HasSuffix(gaps[1].String(), ":6: const Undocumented has no doc comment"), gaps[1].String())
}

func TestPackageDirsSkipsTestdata(t *testing.T) {
	dirs, err := PackageDirs(".", ".")
	require.NoError(t, err)
	assert.Equal(t, []string{"."}, dirs)
}
