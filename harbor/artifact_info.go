package harbor

import "github.com/harborkit/harbor-sdk-go/gen/models"

// ArtifactInfo is one artifact found by WalkArtifacts, with where it lives
// and, with WalkOptions.Reports, its vulnerability report.
type ArtifactInfo struct {
	Project    string // the project's name
	Repository string // the repository's name inside the project ("team/app")
	// Artifact is the artifact as Harbor listed it, with its tags and scan
	// overview; nil with an error about a whole project or repository.
	Artifact *models.Artifact
	// Scan is the artifact's scan state from the listing; it costs no request.
	Scan ScanOverview
	// Report is the artifact's vulnerability report, with
	// WalkOptions.Reports, when Scan.Status is ScanStatusSuccess; nil
	// otherwise, without an error: Scan says why.
	Report *VulnerabilityReport
}

// ScanOverview is an artifact's scan state as a listing or GetArtifact
// shows it (Harbor's scan_overview), for one report type.
type ScanOverview struct {
	// Status is "" for an artifact never scanned (a state, not an error),
	// else ScanStatusPending, ScanStatusRunning, ScanStatusSuccess,
	// ScanStatusError or ScanStatusStopped.
	Status  string
	Counts  SeverityCounts  // the findings per severity of a finished scan (nil before)
	Fixable int             // how many of them have a fix
	Scanner *models.Scanner // the scanner that scanned it (nil when unknown)
}

// scanOverview reads a's scan_overview of type typ (or Harbor's only
// one, its fallback type).
func scanOverview(a *models.Artifact, typ ReportType) ScanOverview {
	if a == nil || len(a.ScanOverview) == 0 {
		return ScanOverview{}
	}
	s, ok := a.ScanOverview[string(typ)]
	if !ok && len(a.ScanOverview) == 1 {
		for _, only := range a.ScanOverview {
			s = only
		}
	}
	o := ScanOverview{Status: s.ScanStatus, Scanner: s.Scanner}
	if s.Summary != nil {
		o.Fixable = int(s.Summary.Fixable)
		o.Counts = SeverityCounts{}
		for name, n := range s.Summary.Summary {
			sev, _ := ParseSeverity(name) // an unknown name counts as SeverityUnknown
			o.Counts[sev] += int(n)
		}
	}
	return o
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
