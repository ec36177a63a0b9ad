package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/internal/exampletest"
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

// Against a Harbor with a private project holding data: a wrong password
// is refused before any listing (issue 18 item 4), where Harbor would have
// listed the public projects only; no credentials at all is said out loud.
// A project name holding control characters is printed escaped (item 8).
func TestWrongPasswordIsRefusedAndAnonymousIsSaid(t *testing.T) {
	srv := exampletest.WrongPassword(t)
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 1, cli(t.Context(), nil, &stdout, &stderr))
	assert.Contains(t, stderr.String(), `error: harbor: Whoami: credentials of "admin" not accepted`)
	assert.NotContains(t, stdout.String(), "PROJECT", "no listing")
	exampletest.OnlyChecked(t, srv)

	t.Setenv("HARBOR_USERNAME", "")
	t.Setenv("HARBOR_PASSWORD", "")
	stdout.Reset()
	assert.Equal(t, 0, cli(t.Context(), nil, &stdout, &stderr))
	assert.Contains(t, stdout.String(), "No credentials: listing anonymously, public projects only")
	assert.Contains(t, stdout.String(), "1 projects")
	assert.NotContains(t, stdout.String(), "private-data")

	t.Setenv("HARBOR_USERNAME", srv.AdminUsername)
	t.Setenv("HARBOR_PASSWORD", srv.AdminPassword)
	stdout.Reset()
	assert.Equal(t, 0, cli(t.Context(), nil, &stdout, &stderr))
	assert.Regexp(t, `(?m)^\d+ +private-data +private +1$`, stdout.String())
}

// A hostile server's project name cannot forge lines or move the cursor.
func TestProjectNamesAreEscaped(t *testing.T) {
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/v2.0/users/current" {
			_, _ = io.WriteString(w, `{"user_id":1,"username":"admin"}`)
			return
		}
		_, _ = io.WriteString(w, `[{"project_id":1,"name":"evil\n42 forged private 0\u001b[2K"}]`)
	}))
	t.Cleanup(hostile.Close)
	t.Setenv("HARBOR_URL", hostile.URL)
	t.Setenv("HARBOR_USERNAME", "admin")
	t.Setenv("HARBOR_PASSWORD", "Admin12345")
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 0, cli(t.Context(), nil, &stdout, &stderr), stderr.String())
	assert.Contains(t, stdout.String(), `evil\n42 forged private 0\x1b[2K`)
	assert.NotRegexp(t, `(?m)^42 forged`, stdout.String())
	assert.NotContains(t, stdout.String(), "\x1b")
}
