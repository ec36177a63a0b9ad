package harbortest

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// The MIME types of a vulnerability scan's reports and a docker image's media types, as Harbor's.
const (
	mimeGenericReport   = "application/vnd.security.vulnerability.report; version=1.1"
	mimeNativeReport    = "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0"
	mediaDockerConfig   = "application/vnd.docker.container.image.v1+json"
	mediaDockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
)

// artifactDetail is what an artifact carries beyond state.go's fields.
type artifactDetail struct {
	typ               string // IMAGE, CHART, UNKNOWN
	mediaType         string
	manifestMediaType string
	artifactType      string
	size              int64
	pullTime          time.Time
	extraAttrs        map[string]any
	tags              []*tag   // in creation order
	labels            []*label // in attach order
	buildHistory      []any
	annotations       map[string]string
	chartFiles        map[string]string // a chart's values.yaml and readme.md
	icon              string            // seeded icon digest ("" = by type)
	references        []any             // an index's children, as Harbor writes them
	subject           *artifact         // the artifact this one is an accessory of
	accessories       []*accessory      // accessories of this artifact
	sbom              *sbomRun          // latest SBOM generation, nil if none
	scan              *scanRun          // nil: never scanned
}

type tag struct {
	id                 int64
	name               string
	pushTime, pullTime time.Time
}

// scanRun is the state of an artifact's latest scan and its reports.
type scanRun struct {
	reportIDs map[string]string // mime -> report id
	start     time.Time
	done      time.Time // when the scan finishes (Success, Error)
	fail      bool      // the scan ends in Error
	stopped   bool      // stopped before it finished
	scanner   Scanner
	vulns     []Vulnerability
	raw       map[string][]byte // mime -> seeded raw report, served as is
	rendered  map[string][]byte // mime -> the report rendered from vulns, once
	generated time.Time
}

// status is the scan's status at now: Pending, Running (second half of the run), Success, Error, Stopped.
func (sc *scanRun) status(now time.Time) string {
	switch {
	case sc.stopped:
		return "Stopped"
	case !now.Before(sc.done) && sc.fail:
		return "Error"
	case !now.Before(sc.done):
		return "Success"
	case now.Sub(sc.start) < sc.done.Sub(sc.start)/2:
		return "Pending"
	}
	return "Running"
}

// securityState holds the scanner harbortest pretends to have and the scans seed helpers planned.
type securityState struct {
	scanner         *Scanner // set by SetScanner or a seed helper; nil: see scannerFor
	scanDelay       time.Duration
	planned         map[int64]plannedScan // artifact id -> outcome of its next scan
	nextTagID       int64
	nextAccessoryID int64
}

type plannedScan struct {
	vulns []Vulnerability
	delay time.Duration
	fail  bool
}

// mapped returns f of each of xs (nil for none).
func mapped[T, J any](xs []T, f func(T) J) []J {
	var out []J
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

// digestFor returns a stable fake digest for a seed name.
func digestFor(seed string) string {
	h := sha256.Sum256([]byte(seed))
	return "sha256:" + hex.EncodeToString(h[:])
}

// findArtifact resolves a reference (digest or tag) in repo. Callers hold s.mu.
func findArtifact(repo *repository, ref string) *artifact {
	if repo == nil {
		return nil
	}
	isDigest := strings.HasPrefix(ref, "sha256:")
	for _, a := range repo.artifacts {
		if isDigest && a.digest == ref || !isDigest && slices.ContainsFunc(a.tags, func(t *tag) bool { return t.name == ref }) {
			return a
		}
	}
	return nil
}

// shortRepoName returns a repository's name without its project prefix.
func shortRepoName(repo *repository) string {
	_, n, _ := strings.Cut(repo.name, "/")
	return n
}

// scannerFor is the scanner of p's artifacts (p nil: any project): SetScanner's, else p's registration
// (projectScanner) shown as DefaultScanner as no adapter is called, named name. Callers hold s.mu.
func (s *Server) scannerFor(p *project) (sc Scanner, name string, ok bool) {
	if s.state.sec.scanner != nil {
		return *s.state.sec.scanner, s.state.sec.scanner.Name, true
	}
	ss := s.state.scannerState()
	reg := ss.byUUID[ss.defaultUUID]
	if p != nil {
		reg = s.projectScanner(p)
	}
	if reg == nil {
		return Scanner{}, "", false
	}
	return DefaultScanner, reg.Name, true
}

// seedScanner registers DefaultScanner for the seed helpers if no scanner exists. Callers hold s.mu.
func (s *Server) seedScanner() Scanner {
	sc, _, ok := s.scannerFor(nil)
	if !ok {
		sc = DefaultScanner
		s.state.sec.scanner = &sc
	}
	return sc
}
