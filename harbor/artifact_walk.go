package harbor

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
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
// names, its scan state from the listing (ArtifactInfo.Scan; "" for an
// artifact never scanned, which is not an error) and with opts.Reports its
// vulnerability report.
//
// It costs one request per page of 100 projects, of repositories of each
// project and of artifacts of each repository, plus one per report, and
// holds in memory only the pages being walked. The iterator may be ranged
// over more than once, also at the same time. An error about one project,
// repository or artifact is yielded with what is known of it and the walk
// goes on; break out of the loop to stop. An error listing the projects
// ends the walk. When ctx ends, the walk yields ctx's error once, and
// nothing after it. Listings leave out the untagged children of an index:
// reach them through its Artifact.References and GetArtifact
// (docs/harbor-behaviours.md).
//
//	for a, err := range c.WalkArtifacts(ctx, &harbor.WalkOptions{Concurrency: 8}) {
//		if err != nil { log.Print(err); continue } // one repository's; the walk goes on
//		fmt.Println(a.Reference(), a.Scan.Status, a.Scan.Counts)
//	}
//
// Needs repository:list and artifact:list (and artifact-addition:read with Reports).
func (c *Client) WalkArtifacts(ctx context.Context, opts *WalkOptions) iter.Seq2[ArtifactInfo, error] {
	cfg, err := newWalkConfig(opts)
	if err == nil {
		err = checkContext(ctx, "WalkArtifacts")
	}
	inVoice("WalkArtifacts", &err)
	return func(yieldRaw func(ArtifactInfo, error) bool) {
		if err != nil {
			yieldRaw(ArtifactInfo{}, err)
			return
		}
		run := *cfg // each range over the iterator has its own progress and bound
		run.tally = &walkTally{}
		emit := func(a ArtifactInfo, err error) bool {
			if run.Progress != nil {
				run.Progress(run.tally.snapshot())
			}
			inVoice("WalkArtifacts", &err)
			return yieldRaw(a, err)
		}
		stopped := false
		// yield runs on the caller's goroutine only. Once ctx has ended it
		// drops everything (errors caused by the end included): ctx's
		// error is yielded once, below.
		yield := func(a ArtifactInfo, err error) bool {
			if stopped || ctx.Err() != nil {
				return false
			}
			stopped = !emit(a, err)
			return !stopped
		}
		if run.Concurrency == 1 {
			c.walkRepositories(ctx, &run, func(r repoRef) bool { return c.walkRepository(ctx, &run, r, yield) }, yield)
		} else {
			c.walkConcurrently(ctx, &run, yield)
		}
		if !stopped && ctx.Err() != nil {
			emit(ArtifactInfo{}, ctx.Err())
		}
		if run.Progress != nil {
			run.Progress(run.tally.snapshot()) // where the walk ended
		}
	}
}

// walkConcurrently runs one goroutine listing repositories and
// cfg.Concurrency walking them; results come back to the caller's goroutine.
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
	wg.Go(func() {
		defer close(repos)
		c.walkRepositories(ctx, cfg, func(r repoRef) bool {
			select {
			case repos <- r:
				return true
			case <-ctx.Done():
				return false
			}
		}, send)
	})
	for range cfg.Concurrency {
		wg.Go(func() {
			for r := range repos {
				if !c.walkRepository(ctx, cfg, r, send) {
					return
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	for res := range results {
		if !yield(res.info, res.err) {
			break
		}
	}
	cancel()
	for range results { // let the workers see the cancellation and end
	}
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
	listProject := func(name string) bool {
		defer cfg.tally.add(&cfg.tally.p.Projects, 1)
		params := repository.NewListRepositoriesParams().WithProjectName(name)
		if cfg.RepositoryQuery != "" {
			params.SetQ(&cfg.RepositoryQuery)
		}
		list := counted(cfg, &cfg.tally.p.RepositoriesTotal, c.api.Repository.ListRepositories,
			func(res *repository.ListRepositoriesOK) int64 { return res.XTotalCount })
		for r, err := range All(ctx, list, params) {
			if err != nil {
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
	if len(cfg.Projects) > 0 {
		cfg.tally.add(&cfg.tally.p.ProjectsTotal, len(cfg.Projects))
		for _, p := range cfg.Projects {
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
	list := counted(cfg, &cfg.tally.p.ProjectsTotal, c.api.Project.ListProjects,
		func(res *project.ListProjectsOK) int64 { return res.XTotalCount })
	for p, err := range All(ctx, list, params) {
		if err != nil {
			fail(ArtifactInfo{}, fmt.Errorf("harbor: listing projects: %w", err))
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
	defer cfg.tally.add(&cfg.tally.p.Repositories, 1)
	typ := cmp.Or(cfg.Reports, ReportGeneric) // of the scan overview, and of reports when fetched
	t, accept := true, string(typ)
	params := artifact.NewListArtifactsParams().WithProjectName(r.project).
		WithRepositoryName(EscapeRepositoryName(r.name)).WithWithTag(&t).
		WithWithScanOverview(&t).WithXAcceptVulnerabilities(&accept)
	if cfg.ArtifactQuery != "" {
		params.SetQ(&cfg.ArtifactQuery)
	}
	list := counted(cfg, &cfg.tally.p.ArtifactsTotal, c.api.Artifact.ListArtifacts,
		func(res *artifact.ListArtifactsOK) int64 { return res.XTotalCount })
	for a, err := range All(ctx, list, params) {
		if a != nil {
			cfg.tally.add(&cfg.tally.p.Artifacts, 1)
		}
		if err != nil {
			return out(ArtifactInfo{Project: r.project, Repository: r.name}, err)
		}
		if a == nil || len(cfg.Tags) > 0 && !slices.ContainsFunc(a.Tags, func(t *models.Tag) bool { return t != nil && slices.Contains(cfg.Tags, t.Name) }) {
			continue
		}
		info := ArtifactInfo{Project: r.project, Repository: r.name, Artifact: a, Scan: scanOverview(a, typ)}
		var rerr error
		if cfg.Reports != "" && info.Scan.Status == ScanStatusSuccess {
			info.Report, rerr = limited(cfg, func(ctx context.Context, digest string) (*VulnerabilityReport, error) {
				return c.fetchReport(ctx, r.project, r.name, digest, typ)
			})(ctx, a.Digest)
		}
		if !out(info, rerr) {
			return false
		}
	}
	return ctx.Err() == nil
}
