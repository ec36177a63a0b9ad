package harbor

import (
	"cmp"
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
	Findings   []Vulnerability // of the audited ids, as HubFinding has them, sorted by id, package, version
}

// IndexRef is an image index an affected image belongs to.
type IndexRef struct {
	Digest string
	Tags   []string
}

// Affected is AffectedImages' answer.
type Affected struct {
	Path    string          // PathSecurityHub or PathWalk
	WhyWalk string          // why the hub was not used ("" on the hub path)
	Images  []AffectedImage // sorted by project, repository and digest
	// Scanned and Total count the artifacts with a report and all artifacts
	// (the hub counts the registry's, the walk what it visited).
	Scanned, Total int
	Unscanned      []string // "project/repository@digest: why", from a walk
	Errors         []error  // what could not be read, each naming it
}

// AuditOptions tunes AffectedImages (nil: ask the hub, every project).
type AuditOptions struct {
	Projects    []string // audit only these projects
	Walk        bool     // do not ask the hub
	Concurrency int      // repositories walked at once (default 1)
}

// AffectedImages answers "which images contain these vulnerabilities":
// every platform image whose report lists one of ids, with the indexes
// (and their tags) it belongs to. It asks the security hub, and walks the
// registry (WalkArtifacts with generic reports, after checking the
// credentials with Whoami) when o.Walk is set or the hub is refused (403: a
// robot needs security-hub:read and :list), absent (404) or disabled (no
// default scanner); Path and WhyWalk say which. Both paths give the same
// images; the hub knows the default scanner's reports only.
func (c *Client) AffectedImages(ctx context.Context, ids []string, o *AuditOptions) (*Affected, error) {
	o = cmp.Or(o, &AuditOptions{})
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
		switch {
		case err == nil:
			return res, nil
		case errors.Is(err, errHubDisabled):
			why = err.Error()
		case statusOf(err) == http.StatusForbidden:
			why = "the security hub refused this identity (403; a robot needs security-hub:read and security-hub:list)"
		case statusOf(err) == http.StatusNotFound:
			why = "this Harbor has no security hub (404; Harbor 2.9 and later have one)"
		default:
			return nil, fmt.Errorf("harbor: AffectedImages: asking the security hub: %w", err)
		}
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

var errHubDisabled = errors.New("the security hub counts no artifact (no default scanner, or nothing pushed)")

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
				found.add(repoRef{f.Project, f.Repository}, f.Digest, f.Vulnerability).Tags = f.Tags
			}
		}
	}
	repos := map[repoRef]bool{}
	for _, img := range found.imgs {
		repos[repoRef{img.Project, img.Repository}] = true
	}
	for r := range repos {
		params := artifact.NewListArtifactsParams().WithProjectName(r.project).
			WithRepositoryName(EscapeRepositoryName(r.name)).WithWithTag(Ptr(true))
		for a, err := range All(ctx, c.api.Artifact.ListArtifacts, params) {
			if err != nil && ctx.Err() != nil {
				return nil, err
			}
			if err != nil { // the images stay, with the hub's tags and no index
				res.Errors = append(res.Errors, fmt.Errorf("%s/%s: listing its indexes and tags: %w", r.project, r.name, err))
				break
			}
			found.see(r, a)
		}
	}
	res.Images = found.images()
	return res, nil
}

func (c *Client) affectedByWalk(ctx context.Context, ids []string, o *AuditOptions) (*Affected, error) {
	res := &Affected{Path: PathWalk, Unscanned: []string{}}
	found := newAffectedSet()
	for a, err := range c.WalkArtifacts(ctx, &WalkOptions{Projects: o.Projects, Reports: ReportGeneric, Concurrency: o.Concurrency}) {
		r := repoRef{a.Project, a.Repository}
		switch {
		case err != nil && ctx.Err() != nil:
			return nil, ctx.Err()
		case err != nil && a.Project == "":
			return nil, err // the walk could not list the projects: it has ended
		case a.Artifact != nil:
			res.Total++
			found.see(r, a.Artifact)
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
		for _, v := range a.Report.Filter(ByCVE(ids...)) {
			digests := []string{a.Digest()}
			if len(a.Artifact.References) > 0 { // an index: the children it was found in
				digests = v.ArtifactDigests
			}
			for _, d := range digests {
				found.add(r, d, hubView(v, v.CVSSv3(), d))
			}
		}
	}
	slices.Sort(res.Unscanned)
	res.Images = found.images()
	return res, nil
}

// affectedSet gathers the affected images and, per repository, what
// images() needs of the listed artifacts (a walk lists every artifact).
type affectedSet struct {
	imgs map[string]*AffectedImage // by project/repository@digest
	seen map[repoRef][]*models.Artifact
}

func newAffectedSet() affectedSet {
	return affectedSet{map[string]*AffectedImage{}, map[repoRef][]*models.Artifact{}}
}

func (s affectedSet) add(r repoRef, digest string, v Vulnerability) *AffectedImage {
	key := r.project + "/" + r.name + "@" + digest
	img := s.imgs[key]
	if img == nil {
		img = &AffectedImage{Project: r.project, Repository: r.name, Digest: digest}
		s.imgs[key] = img
	}
	if !slices.ContainsFunc(img.Findings, func(f Vulnerability) bool { return f.ID == v.ID && f.Package == v.Package && f.Version == v.Version }) {
		img.Findings = append(img.Findings, v)
	}
	return img
}

func (s affectedSet) see(r repoRef, a *models.Artifact) {
	if a != nil { // keep only what images() reads
		x := a.ExtraAttrs
		s.seen[r] = append(s.seen[r], &models.Artifact{Digest: a.Digest, Tags: a.Tags, References: a.References,
			ExtraAttrs: models.ExtraAttrs{"os": x["os"], "architecture": x["architecture"], "variant": x["variant"]}})
	}
}

func (s affectedSet) images() []AffectedImage {
	for r, listed := range s.seen {
		find := func(d string) *AffectedImage { return s.imgs[r.project+"/"+r.name+"@"+d] }
		for _, a := range listed {
			tags := ArtifactInfo{Artifact: a}.Tags()
			if img := find(a.Digest); img != nil {
				img.Tags, img.Platform = tags, cmp.Or(img.Platform, platformOf(a.ExtraAttrs["os"], a.ExtraAttrs["architecture"], a.ExtraAttrs["variant"]))
			}
			for _, ref := range a.References {
				if ref == nil {
					continue
				}
				if img := find(ref.ChildDigest); img != nil {
					img.Indexes = append(img.Indexes, IndexRef{Digest: a.Digest, Tags: tags})
					if p := ref.Platform; p != nil {
						img.Platform = platformOf(p.Os, p.Architecture, p.Variant)
					}
				}
			}
		}
	}
	out := []AffectedImage{}
	for _, img := range s.imgs {
		if len(img.Tags) == 0 {
			img.Tags = nil // the hub writes [], a listing null
		}
		slices.SortFunc(img.Indexes, func(a, b IndexRef) int { return strings.Compare(a.Digest, b.Digest) })
		slices.SortFunc(img.Findings, func(a, b Vulnerability) int {
			return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.Package, b.Package), strings.Compare(a.Version, b.Version))
		})
		out = append(out, *img)
	}
	slices.SortFunc(out, func(a, b AffectedImage) int {
		return cmp.Or(strings.Compare(a.Project, b.Project), strings.Compare(a.Repository, b.Repository), strings.Compare(a.Digest, b.Digest))
	})
	return out
}

// platformOf writes os/architecture[/variant], "" when either is unknown.
func platformOf(os, arch, variant any) string {
	o, _ := os.(string)
	a, _ := arch.(string)
	v, _ := variant.(string)
	if o == "" || a == "" {
		return ""
	}
	return strings.TrimSuffix(o+"/"+a+"/"+v, "/")
}
