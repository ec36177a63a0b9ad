package main

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func setup(t *testing.T) (*harbortest.Server, *harbor.Client) {
	srv := harbortest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddSampleRegistry()
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	require.NoError(t, err)
	return srv, c
}

func rows(t *testing.T, text string) [][]string {
	records, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, header, records[0])
	body := records[1:]
	sort.Slice(body, func(i, j int) bool { return strings.Join(body[i], ",") < strings.Join(body[j], ",") })
	return body
}

// Every artifact is a row, the unscanned one too; the inventory costs one
// request per listing page; a second run gives the same rows.
func TestInventoryIsCompleteCheapAndRepeatable(t *testing.T) {
	srv, c := setup(t)
	var out, stderr bytes.Buffer
	srv.ResetRequests()
	require.NoError(t, inventory(t.Context(), c, config{concurrency: 4}, &out, &stderr))
	first := rows(t, out.String())
	require.Len(t, first, 6)
	statuses := map[string]int{}
	for _, r := range first {
		statuses[r[4]]++
	}
	assert.Equal(t, map[string]int{"Success": 5, "": 1}, statuses, "never scanned is a row, not a dropped artifact")
	for _, r := range srv.Requests() {
		assert.NotContains(t, r.Path, "/additions/", "no report per artifact")
	}
	// 1 page of projects (library, demo, shop), one of repositories each,
	// one of artifacts per repository (4).
	api := 0
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/api/") { // not the user's login (/c/login)
			api++
		}
	}
	assert.Equal(t, 1+3+4, api)
	assert.Equal(t, int64(1), srv.PasswordChecks())
	assert.Contains(t, stderr.String(), "\rprojects 3/3  repositories 4/4  artifacts 6/6 \n6 artifact(s) written\n")

	out.Reset()
	require.NoError(t, inventory(t.Context(), c, config{concurrency: 1, projects: projectList{"demo", "shop"}}, &out, &bytes.Buffer{}))
	assert.Equal(t, first, rows(t, out.String()), "a second run gives the same inventory")
}

// An error about one repository is reported and the inventory goes on.
func TestInventoryGoesOnAfterARepositoryFails(t *testing.T) {
	srv, c := setup(t)
	srv.FailNext(1, http.StatusForbidden, harbortest.OnPath("/api/v2.0/projects/demo/repositories/tools/artifacts"))
	var out, stderr bytes.Buffer
	err := inventory(t.Context(), c, config{concurrency: 1}, &out, &stderr)
	require.ErrorContains(t, err, "1 project(s) or repositories could not be read")
	assert.Len(t, rows(t, out.String()), 5)
	assert.Contains(t, stderr.String(), "demo/tools: harbor: WalkArtifacts: GET /api/v2.0/projects/demo/repositories/tools/artifacts: 403 Forbidden")
	assert.Contains(t, stderr.String(), "(WalkArtifacts needs repository:list and artifact:list")
}
