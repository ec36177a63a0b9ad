package harbortest

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/harborkit/harbor-sdk-go/internal/uuid"
)

// Scanner names the scanner of a report as Harbor shows it in scan overviews and reports.
type Scanner struct {
	Name    string `json:"name"`
	Vendor  string `json:"vendor"`
	Version string `json:"version"`
}

// DefaultScanner is the scanner harbortest reports when a test sets none (the recordings' fake one).
var DefaultScanner = Scanner{Name: "FakeScan", Vendor: "harbor-rig", Version: "0.3.0"}

// Vulnerability is one finding of a seeded report. Severity is as scanners write it (Critical, High,
// Medium, Low, Negligible, Unknown); Harbor stores Negligible as None.
type Vulnerability struct {
	ID          string
	Package     string
	Version     string
	FixVersion  string
	Severity    string
	Description string
	Links       []string
	CVSSv3      float64
	CWEIDs      []string
}

// SampleVulnerabilities returns the recorded findings of capart1/team/app:1.0: one per severity, 3 fixable.
func SampleVulnerabilities() []Vulnerability {
	return []Vulnerability{
		{ID: "CVE-2023-4863", Package: "libwebp7", Version: "1.2.4-0.2", FixVersion: "1.2.4-0.2+deb12u1", Severity: "Critical",
			Description: "Heap buffer overflow in libwebp allows a remote attacker to perform an out of bounds memory write via a crafted HTML page.",
			Links:       []string{"https://avd.aquasec.com/nvd/cve-2023-4863", "https://nvd.nist.gov/vuln/detail/CVE-2023-4863"}, CVSSv3: 8.8, CWEIDs: []string{"CWE-787"}},
		{ID: "CVE-2023-38545", Package: "libcurl4", Version: "7.88.1-10", FixVersion: "7.88.1-10+deb12u4", Severity: "High",
			Description: "SOCKS5 heap buffer overflow in curl when the hostname is longer than 255 bytes.",
			Links:       []string{"https://avd.aquasec.com/nvd/cve-2023-38545", "https://nvd.nist.gov/vuln/detail/CVE-2023-38545"}, CVSSv3: 7.5, CWEIDs: []string{"CWE-787"}},
		{ID: "CVE-2023-5678", Package: "libssl3", Version: "3.0.11-1~deb12u1", FixVersion: "3.0.11-1~deb12u2", Severity: "Medium",
			Description: "Generating excessively long X9.42 DH keys or checking them may be very slow.",
			Links:       []string{"https://avd.aquasec.com/nvd/cve-2023-5678", "https://nvd.nist.gov/vuln/detail/CVE-2023-5678"}, CVSSv3: 5.3, CWEIDs: []string{"CWE-754"}},
		{ID: "CVE-2023-4039", Package: "libgcc-s1", Version: "12.2.0-14", Severity: "Low",
			Description: "The -fstack-protector feature of GCC-based toolchains for AArch64 fails to protect dynamically-sized local variables.",
			Links:       []string{"https://avd.aquasec.com/nvd/cve-2023-4039", "https://nvd.nist.gov/vuln/detail/CVE-2023-4039"}, CVSSv3: 4.8, CWEIDs: []string{"CWE-693"}},
		{ID: "CVE-2011-3374", Package: "apt", Version: "2.6.1", Severity: "Negligible",
			Description: "It was found that apt-key in apt does not correctly validate gpg keys with the master keyring.",
			Links:       []string{"https://avd.aquasec.com/nvd/cve-2011-3374", "https://nvd.nist.gov/vuln/detail/CVE-2011-3374"}, CVSSv3: 3.7, CWEIDs: []string{"CWE-347"}},
		{ID: "CVE-2022-27943", Package: "libstdc++6", Version: "12.2.0-14", Severity: "Unknown",
			Description: "libiberty/rust-demangle.c in GNU GCC 11.2 allows stack consumption in demangle_const.",
			Links:       []string{"https://avd.aquasec.com/nvd/cve-2022-27943", "https://nvd.nist.gov/vuln/detail/CVE-2022-27943"}},
	}
}

// imageSize is the size of an image AddImage adds, as Harbor reports it.
const imageSize = 2014

// AddImage adds a linux/amd64 docker image of imageSize bytes tagged tags to project/repo (created if
// needed) and returns its digest, derived from repository and artifact id. Like a push, it fires
// PUSH_ARTIFACT (and QUOTA_WARNING); if the storage quota refuses it, it adds nothing, fires QUOTA_EXCEED
// and returns "". It panics if the project does not exist, a name is not valid or a tag is taken.
func (s *Server) AddImage(projectName, repo string, tags ...string) string {
	checkRepoName("AddImage", repo)
	for _, t := range tags {
		checkTagName("AddImage", t)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.quotaRefusesLocked(projectName, repo, imageSize) {
		return ""
	}
	r := s.addRepositoryLocked(projectName, repo)
	now := s.now()
	a := s.newArtifactLocked(r, "", now, artifactDetail{typ: "IMAGE", mediaType: mediaDockerConfig,
		manifestMediaType: mediaDockerManifest, artifactType: mediaDockerConfig, size: imageSize,
		extraAttrs: map[string]any{"architecture": "amd64", "author": "", "created": harborTime(now), "os": "linux",
			"config": map[string]any{"Cmd": []string{"/bin/sh"}}},
		buildHistory: []any{map[string]any{"created": harborTime(now), "created_by": "/bin/sh -c #(nop) ADD file:rootfs in / "}}})
	r.updated = now
	for _, t := range tags {
		refuseIf(findArtifact(r, t) != nil, "tag %q already exists in %s", t, r.name)
		s.addTagLocked(a, t, now)
	}
	s.hookPushLocked(projectName, r, a, tags...)
	return a.digest
}

// Chart describes a Helm chart for AddChart. Empty fields get sample values.
type Chart struct {
	Name, Version, AppVersion, Description string
	Values, Readme                         string
	Dependencies                           []map[string]string // as in Chart.yaml: name, version, repository
}

// AddChart adds a Helm chart (artifact type CHART, tagged with its version) to project/repo and
// returns its digest. Its values.yaml, readme.md and dependencies additions serve c's fields. It
// panics if the project does not exist or repo or c.Version is not a valid name.
func (s *Server) AddChart(projectName, repo string, c Chart) string {
	c.Name = cmp.Or(c.Name, repo[strings.LastIndex(repo, "/")+1:])
	c.Version = cmp.Or(c.Version, "0.1.0")
	checkRepoName("AddChart", repo)
	checkTagName("AddChart", c.Version)
	c.Values = cmp.Or(c.Values, "# Default values for "+c.Name+".\nreplicaCount: 1\n")
	c.Readme = cmp.Or(c.Readme, "# "+c.Name+"\n")
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.addRepositoryLocked(projectName, repo)
	now := s.now()
	deps := make([]any, 0, len(c.Dependencies))
	for _, d := range c.Dependencies {
		deps = append(deps, map[string]any{"name": d["name"], "version": d["version"], "repository": d["repository"]})
	}
	const chartConfig = "application/vnd.cncf.helm.config.v1+json"
	a := s.newArtifactLocked(r, "", now, artifactDetail{typ: "CHART", mediaType: chartConfig, artifactType: chartConfig,
		manifestMediaType: "application/vnd.oci.image.manifest.v1+json", size: 1302,
		annotations: map[string]string{"org.opencontainers.image.created": now.UTC().Format(time.RFC3339)},
		extraAttrs: map[string]any{"apiVersion": "v2", "appVersion": c.AppVersion, "dependencies": deps,
			"description": c.Description, "name": c.Name, "type": "application", "version": c.Version},
		chartFiles: map[string]string{"values.yaml": c.Values, "readme.md": c.Readme}})
	r.updated = now
	if findArtifact(r, c.Version) == nil {
		s.addTagLocked(a, c.Version, now)
	}
	s.hookPushLocked(projectName, r, a, c.Version)
	return a.digest
}

// AddArtifactJSON seeds an artifact from Harbor's JSON for it (GET .../artifacts/{reference}, real or
// recorded): all but ids, labels, accessories and overviews. The repository is created if needed; an
// existing artifact or tag, no digest or a bad name is an error.
func (s *Server) AddArtifactJSON(projectName, repo string, raw []byte) error {
	var in artifactJSON
	if err := json.Unmarshal(raw, &in); err != nil {
		return fmt.Errorf("harbortest: AddArtifactJSON: %w", err)
	}
	switch {
	case in.Digest == "":
		return errors.New("harbortest: AddArtifactJSON: no digest")
	case !validRepoName(repo):
		return fmt.Errorf("harbortest: AddArtifactJSON: repository name %q is not valid", repo)
	case !digestRe.MatchString(in.Digest):
		return fmt.Errorf("harbortest: AddArtifactJSON: digest %q is not sha256:<64 hex digits>", in.Digest)
	}
	tags := mapped(in.Tags, func(t tagJSON) string { return t.Name })
	if i := slices.IndexFunc(tags, func(t string) bool { return !tagNameRe.MatchString(t) }); i >= 0 {
		return fmt.Errorf("harbortest: AddArtifactJSON: tag name %q is not valid", tags[i])
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state.projectByName[projectName] == nil {
		return fmt.Errorf("harbortest: AddArtifactJSON: project %q does not exist", projectName)
	}
	r := s.addRepositoryLocked(projectName, repo)
	if findArtifact(r, in.Digest) != nil {
		return fmt.Errorf("harbortest: AddArtifactJSON: %s already in %s", in.Digest, r.name)
	}
	if i := slices.IndexFunc(tags, func(t string) bool { return findArtifact(r, t) != nil }); i >= 0 {
		return fmt.Errorf("harbortest: AddArtifactJSON: tag %q already in %s", tags[i], r.name)
	}
	a := s.newArtifactLocked(r, in.Digest, parseHarborTime(in.PushTime, s.now()), artifactDetail{typ: in.Type,
		mediaType: in.MediaType, manifestMediaType: in.ManifestMediaType, artifactType: in.ArtifactType, size: in.Size,
		icon: in.Icon, extraAttrs: in.ExtraAttrs, annotations: in.Annotations, references: in.References,
		pullTime: parseHarborTime(in.PullTime, time.Time{})})
	for _, jt := range slices.Backward(in.Tags) { // Harbor lists tags newest first
		t := s.addTagLocked(a, jt.Name, parseHarborTime(jt.PushTime, a.pushTime))
		t.pullTime = parseHarborTime(jt.PullTime, time.Time{})
	}
	if a.pushTime.After(r.updated) {
		r.updated = a.pushTime
	}
	s.hookPushLocked(projectName, r, a, tags...)
	return nil
}

// AddAccessoryJSON seeds an accessory of type typ ("signature.cosign", "sbom.harbor"...) of the
// artifact at subjectReference from Harbor's JSON for it (see AddArtifactJSON): listed as an
// accessory, not an artifact, and deleted with its subject. An empty typ is an error.
func (s *Server) AddAccessoryJSON(projectName, repo, subjectReference, typ string, raw []byte) error {
	var in artifactJSON
	if err := json.Unmarshal(raw, &in); err != nil {
		return fmt.Errorf("harbortest: AddAccessoryJSON: %w", err)
	}
	if typ == "" {
		return errors.New("harbortest: AddAccessoryJSON: typ is empty")
	}
	s.mu.Lock()
	p := s.state.projectByName[projectName]
	var subject *artifact
	if p != nil {
		subject = findArtifact(p.repos[repo], subjectReference)
	}
	s.mu.Unlock()
	if subject == nil {
		return fmt.Errorf("harbortest: AddAccessoryJSON: no artifact %s/%s:%s", projectName, repo, subjectReference)
	}
	if err := s.AddArtifactJSON(projectName, repo, raw); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := findArtifact(p.repos[repo], in.Digest)
	a.subject = subject
	s.addAccessoryLocked(subject, a, typ)
	return nil
}

// SetBuildHistoryJSON sets the build_history addition (a JSON array) of the image at reference.
func (s *Server) SetBuildHistoryJSON(projectName, repo, reference string, history []byte) error {
	var h []any
	if err := json.Unmarshal(history, &h); err != nil {
		return fmt.Errorf("harbortest: SetBuildHistoryJSON: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, a := s.mustArtifact(projectName, repo, reference)
	a.buildHistory = h
	return nil
}

// SetChartFiles sets the values.yaml and readme.md additions of the chart at reference.
func (s *Server) SetChartFiles(projectName, repo, reference, valuesYAML, readme string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, a := s.mustArtifact(projectName, repo, reference)
	a.chartFiles = map[string]string{"values.yaml": valuesYAML, "readme.md": readme}
}

// parseHarborTime reads a Harbor timestamp; the zero time (0001-01-01T00:00:00.000Z) or junk give def.
func parseHarborTime(v string, def time.Time) time.Time {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil || t.Year() <= 1 {
		return def
	}
	return t
}

// AddTag tags the artifact at reference; it panics if the artifact is missing or the tag bad or taken.
func (s *Server) AddTag(projectName, repo, reference, tagName string) {
	checkTagName("AddTag", tagName)
	s.mu.Lock()
	defer s.mu.Unlock()
	_, r, a := s.mustArtifact(projectName, repo, reference)
	refuseIf(findArtifact(r, tagName) != nil, "tag %q already exists in %s", tagName, r.name)
	s.addTagLocked(a, tagName, s.now())
	s.hookPushLocked(projectName, r, a, tagName)
}

// newArtifactLocked appends an artifact pushed at t to repo; digest "" derives one. Callers hold s.mu.
func (s *Server) newArtifactLocked(repo *repository, digest string, t time.Time, d artifactDetail) *artifact {
	a := &artifact{id: newID(&s.state.nextArtID), digest: digest, pushTime: t, artifactDetail: d}
	if digest == "" {
		a.digest = digestFor(fmt.Sprintf("%s#%d", repo.name, a.id))
	}
	repo.artifacts = append(repo.artifacts, a)
	return a
}

func (s *Server) addTagLocked(a *artifact, name string, now time.Time) *tag {
	t := &tag{id: newID(&s.state.sec.nextTagID), name: name, pushTime: now}
	a.tags = append(a.tags, t)
	return t
}

// mustArtifact finds a seeded artifact or panics. Callers hold s.mu.
func (s *Server) mustArtifact(projectName, repo, reference string) (*project, *repository, *artifact) {
	p := s.state.projectByName[projectName]
	refuseIf(p == nil, "project %q does not exist", projectName)
	r := p.repos[repo]
	a := findArtifact(r, reference)
	refuseIf(a == nil, "no artifact %s/%s:%s", projectName, repo, reference)
	return p, r, a
}

// SetScanner registers the default scanner. Until one is registered (SetScanner, SetReport, PlanScan),
// scans answer 412 and the vulnerabilities addition 404, as Harbor's do. It panics if sc.Name is empty.
func (s *Server) SetScanner(sc Scanner) {
	refuseIf(sc.Name == "", "SetScanner: scanner name is empty")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.sec.scanner = &sc
}

// SetScanDelay sets how long a scan started through the API takes (by the server's clock, see
// WithClock); it is Pending for the first half and Running for the second. The default is 0: a scan
// has finished when it is first looked at. It panics if d is negative.
func (s *Server) SetScanDelay(d time.Duration) {
	checkDelay("SetScanDelay", d)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.sec.scanDelay = d
}

// SetReport marks the artifact at reference as scanned successfully with the given findings, stored
// in both report types as Harbor stores them. It registers DefaultScanner if none is registered.
func (s *Server) SetReport(projectName, repo, reference string, vulns []Vulnerability) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, a := s.mustArtifact(projectName, repo, reference)
	now := s.now()
	a.scan = s.newScanLocked(now, now, false, vulns)
	for mime := range a.scan.reportIDs { // render now: serving it then costs nothing
		a.scan.report(mime, a.digest)
	}
}

// SetReportJSON stores report as the artifact's mimeType report, served as is by the vulnerabilities
// addition (to test clients against extra fields or unknown severities); the scan overview is
// computed from its "severity" and "vulnerabilities". It panics if mimeType is empty or report is not JSON.
func (s *Server) SetReportJSON(projectName, repo, reference, mimeType string, report []byte) {
	refuseIf(mimeType == "" || !json.Valid(report),
		"SetReportJSON: mimeType %q must not be empty and report must be JSON", mimeType)
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, a := s.mustArtifact(projectName, repo, reference)
	now := s.now()
	if a.scan == nil || a.scan.raw == nil {
		a.scan = s.newScanLocked(now, now, false, nil)
		a.scan.raw = map[string][]byte{}
	}
	a.scan.raw[mimeType] = append([]byte(nil), report...)
	a.scan.reportIDs[mimeType] = cmp.Or(a.scan.reportIDs[mimeType], uuid.New())
}

// PlanScan sets the outcome of the next scan of the artifact at reference: it succeeds with vulns
// after delay (by the server's clock). It panics if delay is negative.
func (s *Server) PlanScan(projectName, repo, reference string, vulns []Vulnerability, delay time.Duration) {
	s.plan("PlanScan", projectName, repo, reference, plannedScan{vulns: vulns, delay: delay})
}

// PlanScanFailure makes the artifact's next scan end in Error after delay. It panics if delay is negative.
func (s *Server) PlanScanFailure(projectName, repo, reference string, delay time.Duration) {
	s.plan("PlanScanFailure", projectName, repo, reference, plannedScan{delay: delay, fail: true})
}

func (s *Server) plan(caller, projectName, repo, reference string, ps plannedScan) {
	checkDelay(caller, ps.delay)
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, a := s.mustArtifact(projectName, repo, reference)
	s.state.sec.planned[a.id] = ps
	s.seedScanner()
}

func (s *Server) newScanLocked(start, done time.Time, fail bool, vulns []Vulnerability) *scanRun {
	return &scanRun{
		reportIDs: map[string]string{mimeGenericReport: uuid.New(), mimeNativeReport: uuid.New()},
		start:     start, done: done, fail: fail, scanner: s.seedScanner(),
		vulns: append([]Vulnerability(nil), vulns...), generated: done, rendered: map[string][]byte{},
	}
}

// AddSampleRegistry seeds a demo registry, projects "demo" (private) and "shop" (public) with nested
// repository names, tagged images and reports (one unscanned), and returns their project/repo:tag refs.
func (s *Server) AddSampleRegistry() []string {
	sample := SampleVulnerabilities()
	var refs []string
	add := func(p, repo, tagName string, vulns []Vulnerability) {
		s.AddImage(p, repo, tagName)
		s.SetReport(p, repo, tagName, vulns)
		refs = append(refs, p+"/"+repo+":"+tagName)
	}
	for _, name := range []string{"demo", "shop"} {
		if !slices.ContainsFunc(s.Projects(), func(p Project) bool { return p.Name == name }) {
			s.AddProject(name, name == "shop")
		}
	}
	add("demo", "team/app", "1.0", sample)
	add("demo", "team/app", "2.0", sample[3:])
	add("demo", "tools", "latest", nil)
	add("demo", "team/worker", "0.9", sample[1:2])
	add("shop", "web", "1", sample[:1])
	s.AddImage("shop", "web", "2") // unscanned
	return append(refs, "shop/web:2")
}
