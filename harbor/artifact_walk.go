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

// repoRef names a repository to walk.
type repoRef struct{ project, name string }

// WalkArtifacts visits every artifact of the registry, or those opts
// chooses (see WalkOptions; nil for all), with its project and repository
// names and its scan state from the listing (ArtifactInfo.Scan: status,
// counts per severity, scanner), and with opts.Reports its vulnerability
// report. An artifact never scanned is yielded without an error: its
// Scan.Status is "".
//
// It costs one request per page of 100 projects, of repositories of each
// project and of artifacts of each repository, plus one per report (a
// listing of exactly 100 items, one full page without a Link header, costs
// one more: see All), and holds in memory only the pages being walked. The
// iterator may be ranged over more than once, also at the same time. An
// error about one project, repository or artifact is yielded with what is
// known of it (Project, Repository, Artifact) and the walk goes on; break
// out of the loop to stop. An error listing the projects ends the walk.
// When ctx ends, every request stops and the walk yields ctx's error once,
// and no artifact after it. Harbor's listings leave out the untagged
// children of an index (multi-arch images): reach them through the
// index's Artifact.References and GetArtifact (docs/harbor-behaviours.md).
//
//	for a, err := range c.WalkArtifacts(ctx, &harbor.WalkOptions{Concurrency: 8}) {
//		if err != nil { log.Print(err); continue } // one repository's; the walk goes on
//		fmt.Println(a.Reference(), a.Scan.Status, a.Scan.Counts)
//	}
//
// Needs repository:list and artifact:list (and artifact-addition:read with Reports).
func (c *Client) WalkArtifacts(ctx context.Context, opts *WalkOptions) iter.Seq2[ArtifactInfo, error] {
	cfg, err := newWalkConfig(opts)
	if err != nil {
		err = fmt.Errorf("harbor: WalkArtifacts: %w", err)
	} else {
		err = checkContext(ctx, "WalkArtifacts")
	}
	return func(yieldRaw func(ArtifactInfo, error) bool) {
		if err != nil {
			yieldRaw(ArtifactInfo{}, err)
			return
		}
		run := *cfg // each range over the iterator has its own progress and bound
		cfg := &run
		cfg.tally = &walkTally{}
		yield := func(a ArtifactInfo, err error) bool {
			if cfg.Progress != nil {
				cfg.Progress(cfg.tally.snapshot())
			}
			inVoice("WalkArtifacts", &err)
			return yieldRaw(a, err)
		}
		if cfg.Concurrency <= 1 {
			stopped := false
			out := func(a ArtifactInfo, err error) bool {
				if ctx.Err() != nil {
					return false // nothing after the caller's context ended but its error, below
				}
				if !yield(a, err) {
					stopped = true
					return false
				}
				return true
			}
			c.walkRepositories(ctx, cfg, func(r repoRef) bool { return c.walkRepository(ctx, cfg, r, out) }, out)
			if !stopped && ctx.Err() != nil {
				yield(ArtifactInfo{}, ctx.Err())
			}
		} else {
			c.walkConcurrently(ctx, cfg, yield)
		}
		if cfg.Progress != nil {
			cfg.Progress(cfg.tally.snapshot()) // where the walk ended
		}
	}
}

// walkConcurrently runs one goroutine listing repositories and cfg.Concurrency
// goroutines walking them; results come back to the caller's goroutine
// through a channel of cfg.Concurrency slots.
func (c *Client) walkConcurrently(parent context.Context, cfg *walkConfig, yield func(ArtifactInfo, error) bool) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	cfg.slots = make(chan struct{}, cfg.Concurrency)
	type result struct {
		info ArtifactInfo
		err  error
	}
	results := make(chan result, cfg.Concurrency)
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
	wg.Add(1 + cfg.Concurrency)
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
	for range cfg.Concurrency {
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
		if parent.Err() != nil {
			break // nothing after the caller's context ended but its error, below
		}
		if !yield(res.info, res.err) {
			stopped = true
			break
		}
	}
	cancel()
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
		cfg.tally.add(&cfg.tally.p.RepositoriesTotal, len(cfg.repositories))
		for _, r := range cfg.repositories {
			if ctx.Err() != nil || !emit(r) {
				return
			}
		}
		return
	}
	projects := cfg.Projects
	listProject := func(name string) bool {
		params := repository.NewListRepositoriesParams().WithProjectName(name)
		if cfg.RepositoryQuery != "" {
			params.SetQ(&cfg.RepositoryQuery)
		}
		seen := false
		listRepositories := func(ctx context.Context, params *repository.ListRepositoriesParams) (*repository.ListRepositoriesOK, error) {
			res, err := c.API().Repository.ListRepositories(ctx, params)
			if err == nil {
				cfg.tally.total(&cfg.tally.p.RepositoriesTotal, res.XTotalCount, &seen)
			}
			return res, err
		}
		defer cfg.tally.add(&cfg.tally.p.Projects, 1)
		for r, err := range All(ctx, limited(cfg, listRepositories), params) {
			if err != nil {
				if ctxDone(ctx, err) {
					return false
				}
				return fail(ArtifactInfo{Project: name}, err)
			}
			if r == nil { // a null item names nothing
				continue
			}
			_, short, _ := strings.Cut(r.Name, "/")
			if !emit(repoRef{name, short}) {
				return false
			}
		}
		return true
	}
	if len(projects) > 0 {
		cfg.tally.add(&cfg.tally.p.ProjectsTotal, len(projects))
		for _, p := range projects {
			if !listProject(p) {
				return
			}
		}
		return
	}
	params := project.NewListProjectsParams()
	if cfg.ProjectQuery != "" {
		params.SetQ(&cfg.ProjectQuery)
	}
	listProjects := func(ctx context.Context, params *project.ListProjectsParams) (*project.ListProjectsOK, error) {
		res, err := c.API().Project.ListProjects(ctx, params)
		if err == nil {
			cfg.tally.total(&cfg.tally.p.ProjectsTotal, res.XTotalCount, &cfg.tally.projectsSeen)
		}
		return res, err
	}
	for p, err := range All(ctx, limited(cfg, listProjects), params) {
		if err != nil {
			if !ctxDone(ctx, err) {
				fail(ArtifactInfo{}, fmt.Errorf("harbor: listing projects: %w", err))
			}
			return
		}
		if p != nil && !listProject(p.Name) {
			return
		}
	}
}

// walkRepository lists one repository's artifacts (and their reports) to
// out. It returns false when out does or ctx has ended.
func (c *Client) walkRepository(ctx context.Context, cfg *walkConfig, r repoRef, out func(ArtifactInfo, error) bool) bool {
	t, accept := true, string(cfg.reportType)
	params := artifact.NewListArtifactsParams().WithProjectName(r.project).
		WithRepositoryName(EscapeRepositoryName(r.name)).WithWithTag(&t).
		WithWithScanOverview(&t).WithXAcceptVulnerabilities(&accept)
	if cfg.ArtifactQuery != "" {
		params.SetQ(&cfg.ArtifactQuery)
	}
	seen := false
	listArtifacts := func(ctx context.Context, params *artifact.ListArtifactsParams) (*artifact.ListArtifactsOK, error) {
		res, err := c.API().Artifact.ListArtifacts(ctx, params)
		if err == nil {
			cfg.tally.total(&cfg.tally.p.ArtifactsTotal, res.XTotalCount, &seen)
		}
		return res, err
	}
	defer cfg.tally.add(&cfg.tally.p.Repositories, 1)
	for a, err := range All(ctx, limited(cfg, listArtifacts), params) {
		if a != nil {
			cfg.tally.add(&cfg.tally.p.Artifacts, 1)
		}
		if err != nil {
			if ctxDone(ctx, err) {
				return false
			}
			return out(ArtifactInfo{Project: r.project, Repository: r.name}, err)
		}
		if a == nil || len(cfg.tags) > 0 && !hasTag(a, cfg.tags) {
			continue
		}
		info := ArtifactInfo{Project: r.project, Repository: r.name, Artifact: a, Scan: scanOverview(a, cfg.reportType)}
		var rerr error
		if cfg.Reports != "" && info.Scan.Status == ScanStatusSuccess {
			info.Report, rerr = limited(cfg, func(ctx context.Context, digest string) (*VulnerabilityReport, error) {
				return c.fetchReport(ctx, r.project, r.name, digest, cfg.reportType)
			})(ctx, a.Digest)
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

func hasTag(a *models.Artifact, tags map[string]bool) bool {
	for _, t := range a.Tags {
		if t != nil && tags[t.Name] {
			return true
		}
	}
	return false
}
