package harbor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// WalkOptions chooses what WalkArtifacts visits and how. A nil
// *WalkOptions, like the zero value, walks every artifact the client can
// see, one repository at a time. A bad field makes WalkArtifacts yield an
// error naming it, before any request.
type WalkOptions struct {
	// Projects limits the walk to the named projects (not listing the
	// projects then).
	Projects []string
	// Repositories limits the walk to the named repositories, with their
	// project: "project/team/app". Nothing is listed but their artifacts,
	// so Projects, ProjectQuery and RepositoryQuery must not be set.
	Repositories []string
	// Tags keeps only the artifacts that carry at least one of the tags.
	Tags []string
	// ProjectQuery, RepositoryQuery and ArtifactQuery are Harbor's q
	// filters for the project, repository and artifact listings, e.g.
	// "name=~team", "tags=*", "type=IMAGE", "labels=(3)".
	ProjectQuery, RepositoryQuery, ArtifactQuery string
	// Reports (ReportGeneric or ReportNative) fetches that vulnerability
	// report of each successfully scanned artifact into
	// ArtifactInfo.Report: one request per such artifact. ArtifactInfo.Scan
	// (status, counts per severity, scanner) costs no request.
	Reports ReportType
	// Concurrency walks up to that many repositories at once (1 to 64; 0
	// means 1), with at most that many requests, and so connections, in
	// flight. Items then come in no particular order; sequentially they
	// come in listing order.
	Concurrency int
	// Progress, when set, is called with the walk's progress before each
	// item is yielded and once when the walk ends, on the goroutine
	// ranging over the walk (a slow Progress slows the walk).
	Progress func(WalkProgress)
}

type walkConfig struct {
	WalkOptions
	repositories []repoRef
	tally        *walkTally
	slots        chan struct{} // bounds the requests in flight (nil when sequential)
}

// newWalkConfig checks o and returns an error naming the first bad field.
func newWalkConfig(o *WalkOptions) (*walkConfig, error) {
	cfg := &walkConfig{}
	if o != nil {
		cfg.WalkOptions = *o
		cfg.Projects, cfg.Tags = slices.Clone(o.Projects), slices.Clone(o.Tags) // as checked, whatever the caller changes later
	}
	switch {
	case cfg.Concurrency == 0:
		cfg.Concurrency = 1
	case cfg.Concurrency < 1 || cfg.Concurrency > maxWorkers:
		return nil, fmt.Errorf("WalkOptions.Concurrency %d: want 1 to %d (0 means 1)", cfg.Concurrency, maxWorkers)
	}
	for _, n := range cfg.Projects {
		if why := checkProjectName(n); why != "" {
			return nil, fmt.Errorf("WalkOptions.Projects: %q: %s", n, why)
		}
	}
	for _, n := range cfg.Repositories {
		p, r, ok := strings.Cut(n, "/")
		if !ok {
			return nil, fmt.Errorf("WalkOptions.Repositories: %q: want project/repository, e.g. \"library/team/app\"", n)
		}
		if why := checkProjectName(p); why != "" {
			return nil, fmt.Errorf("WalkOptions.Repositories: %q: project %q: %s", n, p, why)
		}
		if why := checkRepositoryPath(r); why != "" {
			return nil, fmt.Errorf("WalkOptions.Repositories: %q: repository %q: %s", n, r, why)
		}
		cfg.repositories = append(cfg.repositories, repoRef{p, r})
	}
	for _, t := range cfg.Tags {
		if why := checkTag(t); why != "" {
			return nil, fmt.Errorf("WalkOptions.Tags: %q: %s", t, why)
		}
	}
	for _, q := range []struct{ field, q string }{{"ProjectQuery", cfg.ProjectQuery}, {"RepositoryQuery", cfg.RepositoryQuery}, {"ArtifactQuery", cfg.ArtifactQuery}} {
		if why := checkQuery(q.q); q.q != "" && why != "" {
			return nil, fmt.Errorf("WalkOptions.%s %q: %s", q.field, q.q, why)
		}
	}
	if why := checkReportType(cfg.Reports); cfg.Reports != "" && why != "" {
		return nil, fmt.Errorf("WalkOptions.Reports %q: %s", cfg.Reports, why)
	}
	switch {
	case len(cfg.Repositories) > 0 && len(cfg.Projects) > 0:
		return nil, errors.New("WalkOptions.Repositories and Projects exclude each other (name the repositories with their project)")
	case len(cfg.Repositories) > 0 && (cfg.ProjectQuery != "" || cfg.RepositoryQuery != ""):
		return nil, errors.New("WalkOptions.Repositories lists no project or repository: ProjectQuery and RepositoryQuery do not apply")
	case len(cfg.Projects) > 0 && cfg.ProjectQuery != "":
		return nil, errors.New("WalkOptions.Projects lists no project: ProjectQuery does not apply")
	}
	return cfg, nil
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

// counted is a listing op, limited, that adds the total its first page
// announces (X-Total-Count) to *total. All calls it from one goroutine.
func counted[P, R any](cfg *walkConfig, total *int, op func(context.Context, P) (R, error), count func(R) int64) func(context.Context, P) (R, error) {
	first := true
	return limited(cfg, func(ctx context.Context, p P) (R, error) {
		res, err := op(ctx, p)
		if err == nil && first {
			first = false
			cfg.tally.add(total, int(count(res)))
		}
		return res, err
	})
}

// WalkProgress says how far WalkArtifacts has come. A total sums what the
// listings read so far announced (X-Total-Count, after the q filters,
// before Tags), so RepositoriesTotal and ArtifactsTotal grow as the walk
// goes.
type WalkProgress struct {
	Projects, ProjectsTotal         int // projects whose repositories were listed
	Repositories, RepositoriesTotal int // repositories whose artifacts were listed
	Artifacts, ArtifactsTotal       int // artifacts listed
}

// walkTally keeps a walk's WalkProgress; workers update it.
type walkTally struct {
	mu sync.Mutex
	p  WalkProgress
}

func (t *walkTally) add(field *int, n int) {
	t.mu.Lock()
	*field += n
	t.mu.Unlock()
}

func (t *walkTally) snapshot() WalkProgress {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.p
}
