package harbor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/harborkit/harbor-sdk-go/gen/client/artifact"
	"github.com/harborkit/harbor-sdk-go/gen/client/securityhub"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// The ways AffectedImages finds its answer.
const (
	PathSecurityHub = "security-hub" // one hub query per id, one listing per affected repository
	PathWalk        = "walk"         // WalkArtifacts with reports: every artifact of the registry
)

// AffectedImage is a platform image that contains one of the audited
// vulnerabilities.
type AffectedImage struct {
	Project    string
	Repository string // inside the project ("team/app")
	Digest     string
	Platform   string   // "linux/arm64" (from the index, or the image's own config); "" if unknown
	Tags       []string // the image's own tags
	Indexes    []IndexRef
	// Findings are the image's findings of the audited ids, as the
	// security hub has them (see HubFinding), whichever path was taken,
	// sorted by id, package and version.
	Findings []Vulnerability
}

// IndexRef is an image index an affected image belongs to.
type IndexRef struct {
	Digest string
	Tags   []string
}

// Affected is AffectedImages' answer.
type Affected struct {
	// Path is PathSecurityHub or PathWalk; WhyWalk says why the hub was
	// not used ("" on the hub path).
	Path, WhyWalk string
	// Images are sorted by project, repository and digest.
	Images []AffectedImage
	// Scanned and Total count the artifacts with a report and all
	// artifacts (the hub counts the registry's, the walk what it visited).
	Scanned, Total int
	// Unscanned ("project/repository@digest: why") and Errors (what could
	// not be read, each naming it) come from the walk; the hub path has
	// none.
	Unscanned []string
	Errors    []error
}

// AuditOptions tunes AffectedImages; the zero value asks the hub first
// and audits every project.
type AuditOptions struct {
	Projects    []string // audit only these projects
	Walk        bool     // do not ask the hub
	Concurrency int      // repositories walked at once (default 1)
}

// AffectedImages answers "which images contain these vulnerabilities":
// every platform image whose report lists one of ids, with the indexes
// (and their tags) it belongs to. It asks the security hub first (GET
// /security/summary, then /security/vul per id, and one artifact listing
// per affected repository) and walks the registry (WalkArtifacts with
// generic reports) only when the hub is refused (403: a robot needs
// security-hub:read and :list), absent (404, Harbor before 2.9) or
// disabled (its summary counts no artifact: no default scanner), or when
// o.Walk is set; Affected.Path and WhyWalk say which. Both paths give the
// same images and findings. The hub only knows reports of the default
// scanner. Before walking it checks the credentials (Whoami), so that a
// walk is never silently anonymous. o may be nil.
func (c *Client) AffectedImages(ctx context.Context, ids []string, o *AuditOptions) (*Affected, error) {
	if o == nil {
		o = &AuditOptions{}
	}
	if err := checkContext(ctx, "AffectedImages"); err != nil {
		return nil, err
	}
	if len(ids) == 0 || slices.Contains(ids, "") {
		return nil, fmt.Errorf("harbor: AffectedImages: ids %q: name at least one vulnerability id, none empty", ids)
	}
	for _, p := range o.Projects {
		if why := checkProjectName(p); why != "" {
			return nil, fmt.Errorf("harbor: AffectedImages: project %q: %s", p, why)
		}
	}
	why := "AuditOptions.Walk is set"
	if !o.Walk {
		res, err := c.affectedFromHub(ctx, ids, o.Projects)
		w, unavailable := hubUnavailable(err)
		if !unavailable {
			if err != nil {
				return nil, fmt.Errorf("harbor: AffectedImages: asking the security hub: %w", err)
			}
			return res, nil
		}
		why = w
	}
	if _, err := c.Whoami(ctx); err != nil {
		return nil, fmt.Errorf("harbor: AffectedImages: not walking the registry: %w", err)
	}
	res, err := c.affectedByWalk(ctx, ids, o)
	if err != nil {
		return nil, fmt.Errorf("harbor: AffectedImages: walking the registry: %w", err)
	}
	res.WhyWalk = why
	return res, nil
}

// errHubDisabled: the hub answers, but for no artifact.
var errHubDisabled = errors.New("the security hub counts no artifact (no default scanner, or nothing pushed)")

// hubUnavailable says why err means "walk instead"; ok is false for any
// other outcome (an answer, or an error to return).
func hubUnavailable(err error) (why string, ok bool) {
	switch s := statusOf(err); {
	case errors.Is(err, errHubDisabled):
		return err.Error(), true
	case s == http.StatusForbidden:
		return "the security hub refused this identity (403; a robot needs security-hub:read and security-hub:list)", true
	case s == http.StatusNotFound:
		return "this Harbor has no security hub (404; Harbor 2.9 and later have one)", true
	}
	return "", false
}

func (c *Client) affectedFromHub(ctx context.Context, ids, projects []string) (*Affected, error) {
	sum, err := c.api.Securityhub.GetSecuritySummary(ctx, securityhub.NewGetSecuritySummaryParams())
	if err != nil {
		return nil, err
	}
	if sum.Payload == nil || sum.Payload.TotalArtifact == 0 {
		return nil, errHubDisabled
	}
	res := &Affected{Path: PathSecurityHub, Scanned: int(sum.Payload.ScannedCnt), Total: int(sum.Payload.TotalArtifact)}
	found := newAffectedSet()
	for _, id := range ids {
		for f, err := range c.SecurityHub(ctx, HubQuery{CVE: id}) {
			if err != nil {
				return nil, err
			}
			if len(projects) == 0 || slices.Contains(projects, f.Project) {
				found.add(f.Project, f.Repository, f.Digest, f.Vulnerability)
			}
		}
	}
	for r := range found.repos {
		params := artifact.NewListArtifactsParams().WithProjectName(r.project).
			WithRepositoryName(EscapeRepositoryName(r.name)).WithWithTag(Ptr(true))
		for a, err := range All(ctx, c.api.Artifact.ListArtifacts, params) {
			if err != nil {
				return nil, fmt.Errorf("listing %s/%s for its indexes and tags: %w", r.project, r.name, err)
			}
			found.see(r, a)
		}
	}
	res.Images = found.images()
	return res, nil
}

func (c *Client) affectedByWalk(ctx context.Context, ids []string, o *AuditOptions) (*Affected, error) {
	opts := []WalkOption{WalkReports(ReportGeneric), WalkConcurrency(max(o.Concurrency, 1))}
	if len(o.Projects) > 0 {
		opts = append(opts, WalkProjects(o.Projects...))
	}
	res := &Affected{Path: PathWalk, Unscanned: []string{}}
	found := newAffectedSet()
	byID := ByCVE(ids...)
	for a, err := range c.WalkArtifacts(ctx, opts...) {
		switch {
		case err != nil && ctx.Err() != nil:
			return nil, ctx.Err()
		case err != nil && a.Project == "":
			return nil, err // the walk could not list the projects: it has ended
		case a.Artifact != nil:
			res.Total++
			found.see(repoRef{a.Project, a.Repository}, a.Artifact)
		}
		switch {
		case err != nil:
			res.Errors = append(res.Errors, fmt.Errorf("%s: %w", a.Reference(), err))
			continue
		case a.Report == nil: // not scanned (yet), or failed: a.Scan says which
			why := "never scanned"
			if a.Scan.Status != "" {
				why = "scan " + strings.ToLower(a.Scan.Status)
			}
			res.Unscanned = append(res.Unscanned, a.Reference()+": "+why)
			continue
		}
		res.Scanned++
		for _, v := range a.Report.Filter(byID) {
			digests := []string{a.Digest()}
			if len(a.Artifact.References) > 0 { // an index: the children it was found in
				digests = v.ArtifactDigests
			}
			for _, d := range digests {
				found.add(a.Project, a.Repository, d, hubView(v, v.CVSSv3(), d))
			}
		}
	}
	slices.Sort(res.Unscanned)
	res.Images = found.images()
	return res, nil
}

// affectedSet gathers affected images and, from listings, their tags,
// platforms and indexes.
type affectedSet struct {
	repos map[repoRef]map[string]*AffectedImage // affected images by digest
	seen  map[repoRef][]*models.Artifact        // the listed artifacts: images and indexes
}

func newAffectedSet() *affectedSet {
	return &affectedSet{repos: map[repoRef]map[string]*AffectedImage{}, seen: map[repoRef][]*models.Artifact{}}
}

func (s *affectedSet) add(project, repo, digest string, v Vulnerability) {
	r := repoRef{project, repo}
	if s.repos[r] == nil {
		s.repos[r] = map[string]*AffectedImage{}
	}
	img := s.repos[r][digest]
	if img == nil {
		img = &AffectedImage{Project: project, Repository: repo, Digest: digest}
		s.repos[r][digest] = img
	}
	if !slices.ContainsFunc(img.Findings, func(f Vulnerability) bool { return f.ID == v.ID && f.Package == v.Package && f.Version == v.Version }) {
		img.Findings = append(img.Findings, v)
	}
}

// see keeps what images() needs of a listed artifact (a walk sees every
// artifact of the registry: the rest of it is not kept).
func (s *affectedSet) see(r repoRef, a *models.Artifact) {
	if a != nil {
		s.seen[r] = append(s.seen[r], &models.Artifact{Digest: a.Digest, Tags: a.Tags, References: a.References,
			ExtraAttrs: models.ExtraAttrs{"os": a.ExtraAttrs["os"], "architecture": a.ExtraAttrs["architecture"], "variant": a.ExtraAttrs["variant"]}})
	}
}

func (s *affectedSet) images() []AffectedImage {
	out := []AffectedImage{}
	for r, imgs := range s.repos {
		for _, a := range s.seen[r] {
			tags := ArtifactInfo{Artifact: a}.Tags()
			if img := imgs[a.Digest]; img != nil {
				img.Tags = tags
				if img.Platform == "" {
					img.Platform = platformOf(a.ExtraAttrs["os"], a.ExtraAttrs["architecture"], a.ExtraAttrs["variant"])
				}
			}
			for _, ref := range a.References {
				if ref == nil {
					continue
				}
				if img := imgs[ref.ChildDigest]; img != nil {
					img.Indexes = append(img.Indexes, IndexRef{Digest: a.Digest, Tags: tags})
					if ref.Platform != nil {
						img.Platform = platformOf(ref.Platform.Os, ref.Platform.Architecture, ref.Platform.Variant)
					}
				}
			}
		}
		for _, img := range imgs {
			slices.SortFunc(img.Indexes, func(a, b IndexRef) int { return strings.Compare(a.Digest, b.Digest) })
			slices.SortFunc(img.Findings, func(a, b Vulnerability) int {
				return strings.Compare(a.ID+"\x00"+a.Package+"\x00"+a.Version, b.ID+"\x00"+b.Package+"\x00"+b.Version)
			})
			out = append(out, *img)
		}
	}
	slices.SortFunc(out, func(a, b AffectedImage) int {
		return strings.Compare(a.Project+"\x00"+a.Repository+"\x00"+a.Digest, b.Project+"\x00"+b.Repository+"\x00"+b.Digest)
	})
	return out
}

// platformOf writes os/architecture[/variant], "" when either is unknown.
func platformOf(os, arch, variant any) string {
	o, _ := os.(string)
	a, _ := arch.(string)
	if o == "" || a == "" {
		return ""
	}
	if v, _ := variant.(string); v != "" {
		return o + "/" + a + "/" + v
	}
	return o + "/" + a
}
