package harbor_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// Artifacts of a nested repository, by tag and by digest, with no
// escaping by the caller.
func TestGetAndDeleteArtifactInNestedRepository(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("p", false)
	digest := srv.AddImage("p", "team/app", "1.0", "latest")
	srv.SetReport("p", "team/app", "1.0", harbortest.SampleVulnerabilities())
	other := srv.AddImage("p", "team/app", "2.0")

	for _, ref := range []string{"1.0", digest} {
		a, err := admin.GetArtifact(t.Context(), "p", "team/app", ref)
		require.NoError(t, err)
		assert.Equal(t, digest, a.Digest())
		assert.ElementsMatch(t, []string{"1.0", "latest"}, a.Tags())
		assert.Equal(t, "p/team/app@"+digest, a.Reference())
		assert.Equal(t, harbor.ScanStatusSuccess, a.Scan.Status)
		assert.Equal(t, len(harbortest.SampleVulnerabilities()), a.Scan.Counts.Total())
		require.NotNil(t, a.Scan.Scanner)
	}
	srv.ResetRequests()
	require.NoError(t, admin.DeleteArtifact(t.Context(), "p", "team/app", "2.0"))
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, "/api/v2.0/projects/p/repositories/team%2Fapp/artifacts/2.0", srv.Requests()[0].Path) // team%252Fapp on the wire
	_, err := admin.GetArtifact(t.Context(), "p", "team/app", other)
	require.ErrorIs(t, err, harbor.ErrNotFound)
	assert.True(t, strings.HasPrefix(err.Error(), "harbor: GetArtifact: GET /api/v2.0/projects/p/repositories/team%252Fapp/artifacts/sha256:"), err.Error())
}

func TestDeleteUntaggedArtifact(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("p", false)
	tagged := srv.AddImage("p", "team/app", "1.0")
	untagged := "sha256:" + strings.Repeat("ab", 32)
	srv.AddArtifact("p", "team/app", untagged)

	err := admin.DeleteUntaggedArtifact(t.Context(), "p", "team/app", tagged)
	require.ErrorIs(t, err, harbor.ErrArtifactTagged)
	assert.Contains(t, err.Error(), `harbor: DeleteUntaggedArtifact: p/team/app@`+tagged+` carries the tags ["1.0"]`)
	_, err = admin.GetArtifact(t.Context(), "p", "team/app", tagged)
	require.NoError(t, err, "a tagged artifact is not deleted")

	srv.ResetRequests()
	require.NoError(t, admin.DeleteUntaggedArtifact(t.Context(), "p", "team/app", untagged))
	assert.Len(t, srv.Requests(), 2, "one read, one delete")
	_, err = admin.GetArtifact(t.Context(), "p", "team/app", untagged)
	require.ErrorIs(t, err, harbor.ErrNotFound)

	srv.ResetRequests()
	err = admin.DeleteUntaggedArtifact(t.Context(), "p", "team/app", "1.0")
	require.ErrorContains(t, err, `harbor: DeleteUntaggedArtifact: "1.0" is not a digest`)
	err = admin.DeleteArtifact(t.Context(), "p", "", "1.0")
	require.ErrorContains(t, err, "harbor: DeleteArtifact: empty repository name")
	var nilCtx context.Context
	_, err = admin.GetArtifact(nilCtx, "p", "r", "1.0")
	require.ErrorContains(t, err, "harbor: GetArtifact: ctx is nil")
	assert.Empty(t, srv.Requests(), "bad input is refused before any request")
}
