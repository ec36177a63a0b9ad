package harbor

import (
	"context"
	"errors"
	"fmt"

	"github.com/harborkit/harbor-sdk-go/gen/client/artifact"
)

// ErrArtifactTagged matches the error of DeleteUntaggedArtifact when the
// artifact carries a tag: it was not deleted.
var ErrArtifactTagged = errors.New("harbor: artifact is tagged")

// GetArtifact reads the artifact at reference (a tag or a digest) in
// projectName/repositoryName, where the repository name is given as Harbor
// shows it ("team/app"; it is escaped here), with its tags and its scan
// overview (ArtifactInfo.Scan, of the generic report type). It needs
// artifact:read. A missing artifact is an *Error matching ErrNotFound.
func (c *Client) GetArtifact(ctx context.Context, projectName, repositoryName, reference string) (info ArtifactInfo, err error) {
	defer inVoice("GetArtifact", &err)
	if err := checkContext(ctx, "GetArtifact"); err != nil {
		return ArtifactInfo{}, err
	}
	if err := checkArtifactPath(projectName, repositoryName, reference); err != nil {
		return ArtifactInfo{}, err
	}
	res, err := c.api.Artifact.GetArtifact(ctx, artifact.NewGetArtifactParams().WithProjectName(projectName).
		WithRepositoryName(EscapeRepositoryName(repositoryName)).WithReference(reference).
		WithWithTag(Ptr(true)).WithWithScanOverview(Ptr(true)).WithXAcceptVulnerabilities(Ptr(string(ReportGeneric))))
	if err != nil {
		return ArtifactInfo{}, err
	}
	if res.Payload == nil || res.Payload.Digest == "" { // "null" or "{}": no tags to trust
		return ArtifactInfo{}, fmt.Errorf("GET %s: the answer holds no artifact: %w", artifactRef(projectName, repositoryName, reference), ErrUnexpectedContent)
	}
	return ArtifactInfo{Project: projectName, Repository: repositoryName, Artifact: res.Payload,
		Scan: scanOverview(res.Payload, ReportGeneric)}, nil
}

// DeleteArtifact deletes the artifact at reference (a tag or a digest) in
// projectName/repositoryName ("team/app"; escaped here). Deleting by tag
// deletes the artifact the tag points at, with all its other tags; to
// remove only a tag, use the generated DeleteTag. It needs artifact:delete.
func (c *Client) DeleteArtifact(ctx context.Context, projectName, repositoryName, reference string) (err error) {
	defer inVoice("DeleteArtifact", &err)
	if err := checkContext(ctx, "DeleteArtifact"); err != nil {
		return err
	}
	if err := checkArtifactPath(projectName, repositoryName, reference); err != nil {
		return err
	}
	_, err = c.api.Artifact.DeleteArtifact(ctx, artifact.NewDeleteArtifactParams().WithProjectName(projectName).
		WithRepositoryName(EscapeRepositoryName(repositoryName)).WithReference(reference))
	return err
}

// DeleteUntaggedArtifact deletes the artifact with digest in
// projectName/repositoryName only if it carries no tag: it reads the
// artifact first (GET) and, if tagged, returns an error matching
// ErrArtifactTagged naming the tags, deleting nothing. For cleanups of
// untagged artifacts.
//
// The re-read narrows the race with a push but does not close it: Harbor
// has no conditional delete, so a tag pushed onto the digest between the
// read and the DELETE (milliseconds) is deleted with the artifact. It needs
// artifact:read and artifact:delete. A reference that is not a digest is
// an error before any request.
func (c *Client) DeleteUntaggedArtifact(ctx context.Context, projectName, repositoryName, digest string) (err error) {
	defer inVoice("DeleteUntaggedArtifact", &err)
	if err := checkContext(ctx, "DeleteUntaggedArtifact"); err != nil {
		return err
	}
	if !isDigest(digest) { // the other arguments are checked by GetArtifact
		return fmt.Errorf("%q is not a digest (want e.g. sha256:...): a tag always names a tagged artifact", digest)
	}
	a, err := c.GetArtifact(ctx, projectName, repositoryName, digest)
	if err != nil {
		return err
	}
	if tags := a.Tags(); len(tags) > 0 {
		return fmt.Errorf("%s carries the tags %q: %w, not deleted", artifactRef(projectName, repositoryName, digest), tags, ErrArtifactTagged)
	}
	return c.DeleteArtifact(ctx, projectName, repositoryName, digest)
}
