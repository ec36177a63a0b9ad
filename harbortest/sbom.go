package harbortest

import (
	"fmt"
	"slices"
	"time"
)

// SBOM generation as Harbor v2.15 does it (v027-v033): POST .../scan {"scan_type":"sbom"} pushes an
// SBOM artifact, an "sbom.harbor" accessory of the scanned one, into its repository; the subject then
// has an sbom_overview and an sboms link to the accessory, whose additions/sbom is the SPDX document.

const mediaSBOM = "application/vnd.goharbor.harbor.sbom.v1"

// accessory links an accessory artifact to its subject.
type accessory struct {
	id  int64
	typ string    // "sbom.harbor", "signature.cosign", "subject.accessory"...
	art *artifact // pushed when the accessory was created
}

// accessoryIcons are the icons Harbor shows in accessory lists, by type.
var accessoryIcons = map[string]string{
	"sbom.harbor":      typeIcons["SBOM"],
	"signature.cosign": "sha256:20401d5b3a0f6dbc607c8d732eb08471af4ae6b19811a4efce8c6a724aed2882",
}

// sbomRun is the state of an artifact's SBOM generation.
type sbomRun struct {
	start, done time.Time
	scanner     Scanner
	acc         *accessory
}

type accessoryJSON struct {
	ArtifactID            int64  `json:"artifact_id"`
	CreationTime          string `json:"creation_time"`
	Digest                string `json:"digest"`
	Icon                  string `json:"icon"`
	ID                    int64  `json:"id"`
	Size                  int64  `json:"size"`
	SubjectArtifactDigest string `json:"subject_artifact_digest"`
	SubjectArtifactID     int64  `json:"subject_artifact_id"`
	SubjectArtifactRepo   string `json:"subject_artifact_repo"`
	Type                  string `json:"type"`
}

// accessoriesJSON renders the accessories of subject (nil for none).
func accessoriesJSON(repo *repository, subject *artifact) []accessoryJSON {
	return mapped(subject.accessories, func(acc *accessory) accessoryJSON {
		return accessoryJSON{ArtifactID: acc.art.id, CreationTime: harborTime(acc.art.pushTime), Digest: acc.art.digest,
			Icon: accessoryIcons[acc.typ], ID: acc.id, Size: acc.art.size, SubjectArtifactDigest: subject.digest,
			SubjectArtifactID: subject.id, SubjectArtifactRepo: repo.name, Type: acc.typ}
	})
}

// generateSBOM pushes the SBOM accessory of a into repo. Callers hold s.mu.
func (s *Server) generateSBOM(repo *repository, a *artifact) {
	now := s.now()
	sb := s.newArtifactLocked(repo, "", now, artifactDetail{typ: "SBOM", mediaType: mediaSBOM, artifactType: mediaSBOM,
		manifestMediaType: "application/vnd.oci.image.manifest.v1+json", size: 1997, subject: a,
		annotations: map[string]string{"created": now.UTC().Format(time.RFC3339), "created-by": "Harbor",
			"org.opencontainers.artifact.created":     now.UTC().Format(time.RFC3339),
			"org.opencontainers.artifact.description": "SPDX JSON SBOM"}})
	sb.digest = digestFor(fmt.Sprintf("sbom of %s#%d", a.digest, sb.id))
	sb.extraAttrs = map[string]any{"architecture": "", "config": map[string]any{}, "created": "0001-01-01T00:00:00Z",
		"history": []any{map[string]any{"author": "harbor", "created": "0001-01-01T00:00:00Z", "created_by": "harbor"}},
		"os":      "", "rootfs": map[string]any{"diff_ids": []string{digestFor("rootfs of " + sb.digest)}, "type": "layers"}}
	if a.sbom != nil && a.sbom.acc != nil { // a new SBOM replaces the previous one
		s.removeArtifactLocked(repo, a.sbom.acc.art)
	}
	acc := s.addAccessoryLocked(a, sb, "sbom.harbor")
	sc, _, _ := s.scannerFor(s.state.projects[repo.projectID])
	a.sbom = &sbomRun{start: now, done: now.Add(s.state.sec.scanDelay), scanner: sc, acc: acc}
}

func (s *Server) addAccessoryLocked(subject, art *artifact, typ string) *accessory {
	acc := &accessory{id: newID(&s.state.sec.nextAccessoryID), typ: typ, art: art}
	subject.accessories = append(subject.accessories, acc)
	return acc
}

// removeArtifactLocked deletes x and its accessories. Callers hold s.mu.
func (s *Server) removeArtifactLocked(repo *repository, x *artifact) {
	for _, acc := range x.accessories {
		s.removeArtifactLocked(repo, acc.art)
	}
	// New arrays: a caller may be ranging over the old ones.
	repo.artifacts = slices.DeleteFunc(slices.Clone(repo.artifacts), func(y *artifact) bool { return y == x })
	if sub := x.subject; sub != nil {
		sub.accessories = slices.DeleteFunc(slices.Clone(sub.accessories), func(acc *accessory) bool { return acc.art == x })
		if sub.sbom != nil && sub.sbom.acc != nil && sub.sbom.acc.art == x {
			sub.sbom = nil
		}
	}
}

// sbomOverview is an artifact's sbom_overview. Callers hold s.mu.
func (s *Server) sbomOverview(a *artifact) map[string]any {
	sb := a.sbom
	out := map[string]any{"start_time": harborTime(sb.start), "scanner": sb.scanner, "scan_status": "Running"}
	if !s.now().Before(sb.done) {
		out["scan_status"] = "Success"
		out["end_time"] = harborTime(sb.done)
		out["duration"] = int64(sb.done.Sub(sb.start) / time.Second)
		out["sbom_digest"] = sb.acc.art.digest
	}
	return out
}

// sbomDocument is an SBOM accessory's additions/sbom: SPDX listing the packages of the subject's findings.
func (s *Server) sbomDocument(repo *repository, sb *artifact) map[string]any {
	pkgs := []map[string]string{}
	if sub := sb.subject; sub.scan != nil {
		for i, v := range sub.scan.vulns {
			pkgs = append(pkgs, map[string]string{"SPDXID": fmt.Sprintf("SPDXRef-Package-%d", i),
				"downloadLocation": "NONE", "name": v.Package, "versionInfo": v.Version})
		}
	}
	return map[string]any{"SPDXID": "SPDXRef-DOCUMENT", "dataLicense": "CC0-1.0", "spdxVersion": "SPDX-2.3",
		"documentNamespace": "http://harbortest.local/" + sb.digest,
		"name":              repo.name + "@" + sb.subject.digest,
		"creationInfo": map[string]any{"created": sb.pushTime.UTC().Format(time.RFC3339),
			"creators": []string{"Tool: " + sb.subject.sbom.scanner.Name + "-" + sb.subject.sbom.scanner.Version}},
		"packages": pkgs}
}
