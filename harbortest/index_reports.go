package harbortest

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	"github.com/harborkit/harbor-sdk-go/internal/uuid"
)

// AddIndex adds an image index tagged with tags to project/repo with an untagged child image per platform
// ("linux/amd64", "linux/arm64/v8"), as crane or buildx push them; it returns its digest and its children's.
// Scanning it scans the children; its vulnerabilities addition merges their reports, as Harbor does.
// It panics if a platform is not os/architecture[/variant] or a name is not valid.
func (s *Server) AddIndex(projectName, repo string, platforms []string, tags ...string) (index string, children []string) {
	var refs []any
	for _, pl := range platforms {
		parts := strings.Split(pl, "/")
		refuseIf(len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "",
			"AddIndex: platform %q is not os/architecture[/variant]", pl)
		d := s.AddImage(projectName, repo)
		s.mu.Lock()
		_, _, child := s.mustArtifact(projectName, repo, d)
		child.extraAttrs["os"], child.extraAttrs["architecture"] = parts[0], parts[1]
		platform := map[string]any{"OsFeatures": nil, "architecture": parts[1], "os": parts[0]}
		if len(parts) == 3 {
			child.extraAttrs["variant"], platform["variant"] = parts[2], parts[2]
		}
		refs = append(refs, map[string]any{"child_digest": d, "child_id": child.id, "platform": platform, "urls": nil})
		s.mu.Unlock()
		children = append(children, d)
	}
	index = s.AddImage(projectName, repo, tags...)
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, a := s.mustArtifact(projectName, repo, index)
	a.mediaType, a.manifestMediaType, a.extraAttrs, a.buildHistory = mediaOCIIndex, mediaOCIIndex, nil, nil
	for _, r := range refs {
		r.(map[string]any)["parent_id"] = a.id
	}
	a.references = refs
	return index, children
}

const mediaOCIIndex = "application/vnd.oci.image.index.v1+json"

// syncIndexScan gives index a the scan state Harbor shows: none while no child was scanned, a
// child's while one has not succeeded, else the children's reports merged newest first, findings
// keyed by id, package and version, artifact_digests appended (src/pkg/scan/report). Callers hold s.mu.
func (s *Server) syncIndexScan(r *repository, a *artifact) {
	children := indexChildren(r, a)
	slices.SortStableFunc(children, func(x, y *artifact) int { return int(y.id - x.id) })
	if !slices.ContainsFunc(children, func(c *artifact) bool { return c.scan != nil }) {
		return
	}
	now := s.now()
	for _, c := range children {
		if c.scan == nil || c.scan.status(now) != "Success" {
			a.scan = c.scan // not scanned, or not finished: Harbor shows no report
			return
		}
	}
	ids := map[string]string{}
	if a.scan != nil && a.scan.raw != nil {
		ids = a.scan.reportIDs
	}
	sc := &scanRun{reportIDs: map[string]string{}, raw: map[string][]byte{}, start: children[0].scan.start}
	for _, mime := range reportMimes {
		var merged *reportJSON
		byKey := map[string]int{}
		for _, c := range children {
			rep, ok := c.scan.parsed(mime, c.digest)
			if !ok {
				continue
			}
			if c.scan.done.After(sc.done) {
				sc.done, sc.scanner, sc.generated = c.scan.done, c.scan.scanner, c.scan.generated
			}
			if c.scan.start.Before(sc.start) {
				sc.start = c.scan.start
			}
			if merged == nil {
				merged = &reportJSON{GeneratedAt: rep.GeneratedAt, Scanner: rep.Scanner, Severity: rep.Severity, Vulnerabilities: []vulnJSON{}}
			} else if rep.GeneratedAt > merged.GeneratedAt {
				merged.GeneratedAt, merged.Scanner = rep.GeneratedAt, rep.Scanner
			}
			if severityRank[rep.Severity] > severityRank[merged.Severity] {
				merged.Severity = rep.Severity
			}
			for _, v := range rep.Vulnerabilities {
				key := v.ID + "-" + v.Package + "-" + v.Version
				if i, ok := byKey[key]; ok {
					merged.Vulnerabilities[i].ArtifactDigests = append(merged.Vulnerabilities[i].ArtifactDigests, c.digest)
					continue
				}
				v.ArtifactDigests = []string{c.digest}
				byKey[key] = len(merged.Vulnerabilities)
				merged.Vulnerabilities = append(merged.Vulnerabilities, v)
			}
		}
		if merged != nil {
			sc.raw[mime], _ = json.Marshal(merged)
			sc.reportIDs[mime] = cmp.Or(ids[mime], uuid.New())
		}
	}
	a.scan = sc
}
