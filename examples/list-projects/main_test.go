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
