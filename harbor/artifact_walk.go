package harbor

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"

	"github.com/harborkit/harbor-sdk-go/gen/client/artifact"
	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/repository"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

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

// WalkOption chooses what WalkArtifacts visits and how.
type WalkOption func(*walkConfig)

type walkConfig struct {
	projects     []string
	repositories [][2]string // project, repository
	tags         map[string]bool
	projectQ     string
	repoQ        string
	artifactQ    string
	reports      bool
	reportType   ReportType
	workers      int
	err          error
	// slots bounds the requests in flight, and so the connections, to
	// workers (nil when sequential).
	slots chan struct{}
}

// limited runs one request within the walk's bound on requests in flight.
func limited[P, R any](cfg *walkConfig, op func(context.Context, P) (R, error)) func(context.Context, P) (R, error) {
	return func(ctx context.Context, p P) (R, error) {
		if cfg.slots != nil {
			select {
			case cfg.slots <- struct{}{}:
				defer func() { <-cfg.slots }()
			case <-ctx.Done():
				var zero R
				return zero, ctx.Err()
			}
		}
		return op(ctx, p)
	}
}

// WalkProjects limits the walk to the named projects (no project is
// listed then). Default: every project the client can see.
func WalkProjects(names ...string) WalkOption {
	return func(c *walkConfig) {
		for _, n := range names {
			if n == "" || strings.Contains(n, "/") {
				c.err = fmt.Errorf("harbor: WalkProjects: invalid project name %q", n)
				return
			}
		}
		c.projects = append(c.projects, names...)
	}
}

// WalkRepositories limits the walk to the named repositories, given with
// their project as Harbor names them: "project/team/app". No project or
// repository is listed then.
func WalkRepositories(fullNames ...string) WalkOption {
	return func(c *walkConfig) {
		for _, n := range fullNames {
			p, r, ok := strings.Cut(n, "/")
			if !ok || p == "" || r == "" {
				c.err = fmt.Errorf("harbor: WalkRepositories: %q is not project/repository", n)
				return
			}
			c.repositories = append(c.repositories, [2]string{p, r})
		}
	}
}

// WalkTags keeps only artifacts that carry at least one of the tags.
func WalkTags(tags ...string) WalkOption {
	return func(c *walkConfig) {
		if c.tags == nil {
			c.tags = map[string]bool{}
		}
		for _, t := range tags {
			c.tags[t] = true
		}
	}
}

// WalkProjectQuery passes Harbor's q filter (e.g. "name=~team") to the
// project listing.
func WalkProjectQuery(q string) WalkOption { return func(c *walkConfig) { c.projectQ = q } }

// WalkRepositoryQuery passes Harbor's q filter (e.g. "name=~app") to every
// repository listing.
func WalkRepositoryQuery(q string) WalkOption { return func(c *walkConfig) { c.repoQ = q } }

// WalkArtifactQuery passes Harbor's q filter (e.g. "tags=*", "type=IMAGE",
// "labels=(3)") to every artifact listing.
func WalkArtifactQuery(q string) WalkOption { return func(c *walkConfig) { c.artifactQ = q } }

// WalkReports fetches each artifact's vulnerability report of type typ (""
// is ReportGeneric): one request per successfully scanned artifact. An
// artifact without a report is yielded with a *ScanError (errors.Is
// ErrNotScanned, ErrScanRunning, ErrScanFailed or ErrScanStopped), which
// costs no request: the listing's scan overview says why.
func WalkReports(typ ReportType) WalkOption {
	return func(c *walkConfig) { c.reports, c.reportType = true, typ.orDefault() }
}

// WalkConcurrency walks up to workers repositories at once, with at most
// workers requests in flight (listing the repositories included), so at
// most workers kept-alive connections. Items then come in no particular
// order. Default 1: sequential, in listing order. Values below 1 mean 1.
func WalkConcurrency(workers int) WalkOption {
	return func(c *walkConfig) { c.workers = max(workers, 1) }
}

// repoRef names a repository to walk.
type repoRef struct{ project, name string }

// WalkArtifacts visits every artifact of the registry (or of the projects
// and repositories chosen with WalkProjects / WalkRepositories, narrowed by
// WalkTags and Harbor q filters), with its project and repository names
// and, with WalkReports, its vulnerability report.
//
// It costs one request per page of 100 projects, of repositories of each
// project and of artifacts of each repository, plus one per report, and
// holds in memory only the pages being walked. An error about one project,
// repository or artifact is yielded with what is known of it (Project,
// Repository, Artifact) and the walk goes on; break out of the loop to
// stop. An error listing the projects ends the walk. When ctx ends, every
// request stops and the walk yields ctx's error once.
//
//	for a, err := range c.WalkArtifacts(ctx, harbor.WalkReports(""), harbor.WalkConcurrency(8)) {
//		if err != nil { log.Print(err); continue }
//		fmt.Println(a.Reference(), a.Report.Counts())
//	}
func (c *Client) WalkArtifacts(ctx context.Context, opts ...WalkOption) iter.Seq2[ArtifactInfo, error] {
	cfg := walkConfig{workers: 1}
	for _, o := range opts {
		o(&cfg)
	}
	return func(yield func(ArtifactInfo, error) bool) {
		if cfg.err != nil {
			yield(ArtifactInfo{}, cfg.err)
			return
		}
		if cfg.workers <= 1 {
			stopped := false
			out := func(a ArtifactInfo, err error) bool {
				if !yield(a, err) {
					stopped = true
					return false
				}
				return true
			}
			c.walkRepositories(ctx, &cfg, func(r repoRef) bool { return c.walkRepository(ctx, &cfg, r, out) }, out)
			if !stopped && ctx.Err() != nil {
				yield(ArtifactInfo{}, ctx.Err())
			}
			return
		}
		c.walkConcurrently(ctx, &cfg, yield)
	}
}

// walkConcurrently runs one goroutine listing repositories and cfg.workers
// goroutines walking them; results come back to the caller's goroutine
// through a channel of cfg.workers slots.
func (c *Client) walkConcurrently(parent context.Context, cfg *walkConfig, yield func(ArtifactInfo, error) bool) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	cfg.slots = make(chan struct{}, cfg.workers)
	type result struct {
		info ArtifactInfo
		err  error
	}
	results := make(chan result, cfg.workers)
	repos := make(chan repoRef)
	send := func(a ArtifactInfo, err error) bool {
		select {
		case results <- result{a, err}:
			return true
		case <-ctx.Done():
			return false
		}
	}
	var wg sync.WaitGroup
	wg.Add(1 + cfg.workers)
	go func() {
		defer wg.Done()
		defer close(repos)
		c.walkRepositories(ctx, cfg, func(r repoRef) bool {
			select {
			case repos <- r:
				return true
			case <-ctx.Done():
				return false
			}
		}, send)
	}()
	for range cfg.workers {
		go func() {
			defer wg.Done()
			for r := range repos {
				if !c.walkRepository(ctx, cfg, r, send) {
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	stopped := false
	for res := range results {
		if !yield(res.info, res.err) {
			stopped = true
			cancel()
			break
		}
	}
	for range results { // let the workers see the cancellation and end
	}
	if !stopped && parent.Err() != nil {
		yield(ArtifactInfo{}, parent.Err())
	}
}

// ctxDone reports whether err is ctx's own end (not worth yielding per item:
// the walk yields ctx.Err() once).
func ctxDone(ctx context.Context, err error) bool {
	return ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ctx.Err()))
}

// walkRepositories produces the repositories to walk. It returns when
// emit or fail returns false, or when everything has been produced.
func (c *Client) walkRepositories(ctx context.Context, cfg *walkConfig, emit func(repoRef) bool, fail func(ArtifactInfo, error) bool) {
	if len(cfg.repositories) > 0 {
		for _, r := range cfg.repositories {
			if ctx.Err() != nil || !emit(repoRef{r[0], r[1]}) {
				return
			}
		}
		return
	}
	projects := cfg.projects
	listProject := func(name string) bool {
		params := repository.NewListRepositoriesParams().WithProjectName(name)
		if cfg.repoQ != "" {
			params.SetQ(&cfg.repoQ)
		}
		for r, err := range All(ctx, limited(cfg, c.API().Repository.ListRepositories), params) {
			if err != nil {
				if ctxDone(ctx, err) {
					return false
				}
				return fail(ArtifactInfo{Project: name}, harborError(err))
			}
			_, short, _ := strings.Cut(r.Name, "/")
			if !emit(repoRef{name, short}) {
				return false
			}
		}
		return true
	}
	if len(projects) > 0 {
		for _, p := range projects {
			if !listProject(p) {
				return
			}
		}
		return
	}
	params := project.NewListProjectsParams()
	if cfg.projectQ != "" {
		params.SetQ(&cfg.projectQ)
	}
	for p, err := range All(ctx, limited(cfg, c.API().Project.ListProjects), params) {
		if err != nil {
			if !ctxDone(ctx, err) {
				fail(ArtifactInfo{}, fmt.Errorf("harbor: listing projects: %w", harborError(err)))
			}
			return
		}
		if !listProject(p.Name) {
			return
		}
	}
}

// walkRepository lists one repository's artifacts (and their reports) to
// out. It returns false when out does or ctx has ended.
func (c *Client) walkRepository(ctx context.Context, cfg *walkConfig, r repoRef, out func(ArtifactInfo, error) bool) bool {
	t := true
	params := artifact.NewListArtifactsParams().WithProjectName(r.project).
		WithRepositoryName(EscapeRepositoryName(r.name)).WithWithTag(&t)
	if cfg.artifactQ != "" {
		params.SetQ(&cfg.artifactQ)
	}
	if cfg.reports {
		accept := string(cfg.reportType)
		params.SetWithScanOverview(&t)
		params.SetXAcceptVulnerabilities(&accept)
	}
	for a, err := range All(ctx, limited(cfg, c.API().Artifact.ListArtifacts), params) {
		if err != nil {
			if ctxDone(ctx, err) {
				return false
			}
			return out(ArtifactInfo{Project: r.project, Repository: r.name}, harborError(err))
		}
		if len(cfg.tags) > 0 && !hasTag(a, cfg.tags) {
			continue
		}
		info := ArtifactInfo{Project: r.project, Repository: r.name, Artifact: a}
		var rerr error
		if cfg.reports {
			info.Report, rerr = c.walkReport(ctx, cfg, r, a)
			if rerr != nil && ctxDone(ctx, rerr) {
				return false
			}
		}
		if !out(info, rerr) {
			return false
		}
	}
	return ctx.Err() == nil
}

// walkReport fetches a's report when its overview says it exists, and
// otherwise says why there is none without a request.
func (c *Client) walkReport(ctx context.Context, cfg *walkConfig, r repoRef, a *models.Artifact) (*VulnerabilityReport, error) {
	status := overviewStatus(a, cfg.reportType)
	if status != ScanStatusSuccess {
		return nil, &ScanError{Artifact: artifactRef(r.project, r.name, a.Digest), Type: cfg.reportType, Status: status}
	}
	fetch := func(ctx context.Context, digest string) (*VulnerabilityReport, error) {
		return c.fetchReport(ctx, r.project, r.name, digest, cfg.reportType)
	}
	return limited(cfg, fetch)(ctx, a.Digest)
}

func hasTag(a *models.Artifact, tags map[string]bool) bool {
	for _, t := range a.Tags {
		if t != nil && tags[t.Name] {
			return true
		}
	}
	return false
}
