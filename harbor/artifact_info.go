package harbor

import "github.com/harborkit/harbor-sdk-go/gen/models"

// ArtifactInfo is one artifact found by WalkArtifacts, with where it lives
// and, with WalkReports, its vulnerability report.
type ArtifactInfo struct {
	// Project is the project's name.
	Project string
	// Repository is the repository's name inside the project ("team/app").
	Repository string
	// Artifact is the artifact as Harbor listed it (tags included; with
	// WalkReports, its scan overview too). It is nil in the ArtifactInfo
	// that goes with an error about a whole project or repository.
	Artifact *models.Artifact
	// Report is the artifact's vulnerability report, when WalkReports was
	// given and the artifact was scanned successfully. Otherwise the walk
	// yields this ArtifactInfo with a *ScanError saying why there is none.
	Report *VulnerabilityReport
}

// Digest returns the artifact's digest ("" without an artifact).
func (a ArtifactInfo) Digest() string {
	if a.Artifact == nil {
		return ""
	}
	return a.Artifact.Digest
}

// Tags returns the artifact's tag names, newest first as Harbor lists them.
func (a ArtifactInfo) Tags() []string {
	if a.Artifact == nil {
		return nil
	}
	out := make([]string, 0, len(a.Artifact.Tags))
	for _, t := range a.Artifact.Tags {
		if t != nil {
			out = append(out, t.Name)
		}
	}
	return out
}

// Reference returns "project/repository@digest" (or "project/repository"
// without an artifact).
func (a ArtifactInfo) Reference() string {
	if a.Artifact == nil {
		return a.Project + "/" + a.Repository
	}
	return a.Project + "/" + a.Repository + "@" + a.Artifact.Digest
}
