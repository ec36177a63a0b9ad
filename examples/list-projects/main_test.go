package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListsEveryProjectAcrossPages(t *testing.T) {
	t.Setenv("HARBOR_URL", "")
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, 5, ""))
	text := out.String()
	assert.Contains(t, text, "using the in-memory Harbor")
	assert.Contains(t, text, "13 projects (listed 5 per request)")
	assert.Regexp(t, `(?m)^1 +library +public +0$`, text)
	assert.Regexp(t, `(?m)^\d+ +project-00012 +private +0$`, text)
	lines := strings.Split(strings.TrimSpace(text), "\n")
	assert.Len(t, lines, 1+1+13+1, "banner, header, one line per project, count")
}

func TestQueryFilter(t *testing.T) {
	t.Setenv("HARBOR_URL", "")
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, 100, "name=~project-0000"))
	assert.Contains(t, out.String(), "9 projects", "project-00001 ... project-00009")
	assert.NotContains(t, out.String(), "library")
}

// A -page-size outside 1-100 is an error from All, before any request: the
// command says which value is wrong, prints no listing and exits 1.
func TestBadPageSizeFails(t *testing.T) {
	t.Setenv("HARBOR_URL", "")
	for _, size := range []string{"0", "101", "-5"} {
		t.Run(size, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cli(t.Context(), []string{"-page-size", size}, &stdout, &stderr)
			assert.Equal(t, 1, code)
			assert.Equal(t, "error: listing projects: harbor: All: PageSize("+size+"): the page size must be 1 to 100 (Harbor's largest page)\n", stderr.String())
			assert.NotContains(t, stdout.String(), "PROJECT", "no listing")
			assert.NotContains(t, stdout.String(), "projects (listed")
		})
	}
}

func TestCLIExitCodes(t *testing.T) {
	t.Setenv("HARBOR_URL", "")
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 0, cli(t.Context(), []string{"-page-size", "4"}, &stdout, &stderr), stderr.String())
	assert.Contains(t, stdout.String(), "13 projects (listed 4 per request)")
	assert.Equal(t, 2, cli(t.Context(), []string{"-page-size", "ten"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), `invalid value "ten" for flag -page-size`)
}
