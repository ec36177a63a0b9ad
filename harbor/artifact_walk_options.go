package harbor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// WalkOption chooses what WalkArtifacts visits and how. A nil WalkOption is
// skipped; a WalkOption given a bad value makes WalkArtifacts yield an error
// naming it, before any request.
type WalkOption func(*walkConfig) error

type walkConfig struct {
	projects     []string
	repositories []repoRef
	tags         map[string]bool
	projectQ     string
	repoQ        string
	artifactQ    string
	reports      bool
	reportType   ReportType
	workers      int
	progress     func(WalkProgress)
	tally        *walkTally
	// slots bounds the requests in flight, and so the connections, to
	// workers (nil when sequential).
	slots chan struct{}
}

// newWalkConfig applies opts in order, skipping nil ones, and returns the
// first option's error, or an error for options that exclude each other
// (one would be silently ignored otherwise).
func newWalkConfig(opts []WalkOption) (*walkConfig, error) {
	cfg := &walkConfig{workers: 1, reportType: ReportGeneric}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(cfg); err != nil {
			return nil, err
		}
	}
	switch {
	case len(cfg.repositories) > 0 && len(cfg.projects) > 0:
		return nil, errors.New("WalkRepositories and WalkProjects exclude each other (name the repositories with their project)")
	case len(cfg.repositories) > 0 && (cfg.projectQ != "" || cfg.repoQ != ""):
		return nil, errors.New("WalkRepositories lists no project or repository: WalkProjectQuery and WalkRepositoryQuery do not apply")
	case len(cfg.projects) > 0 && cfg.projectQ != "":
		return nil, errors.New("WalkProjects lists no project: WalkProjectQuery does not apply")
	}
	return cfg, nil
}

// WalkProgress says how far WalkArtifacts has come. A total counts what
// the listings read so far announced (X-Total-Count): ProjectsTotal is
// known from the first page of projects, RepositoriesTotal grows as each
// project's repositories are listed, ArtifactsTotal as each repository's
// artifacts are (before WalkTags; Harbor's q filters are counted by Harbor).
type WalkProgress struct {
	Projects, ProjectsTotal         int // projects whose repositories were listed
	Repositories, RepositoriesTotal int // repositories whose artifacts were listed
	Artifacts, ArtifactsTotal       int // artifacts listed
}

// walkTally keeps a walk's WalkProgress; workers update it.
type walkTally struct {
	mu           sync.Mutex
	p            WalkProgress
	projectsSeen bool
}

func (t *walkTally) add(field *int, n int) {
	t.mu.Lock()
	*field += n
	t.mu.Unlock()
}

// total adds a listing's X-Total-Count once (*seen says it was).
func (t *walkTally) total(field *int, n int64, seen *bool) {
	t.mu.Lock()
	if !*seen {
		*field += int(n)
		*seen = true
	}
	t.mu.Unlock()
}

func (t *walkTally) snapshot() WalkProgress {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.p
}

// WalkProgressFunc makes WalkArtifacts call f with its progress before it
// yields each item, and once more when the walk ends, on the goroutine
// ranging over the walk (f may print a progress line; a slow f slows the
// walk). A nil f is an error.
func WalkProgressFunc(f func(WalkProgress)) WalkOption {
	return func(c *walkConfig) error {
		if f == nil {
			return errors.New("WalkProgressFunc(nil): no function given")
		}
		c.progress = f
		return nil
	}
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
// listed then). Default: every project the client can see. A name that
// cannot be a Harbor project's (empty, with "/", upper case...) is an error.
func WalkProjects(names ...string) WalkOption {
	return func(c *walkConfig) error {
		if len(names) == 0 {
			return fmt.Errorf("WalkProjects(): no project named (leave the option out to walk every project)")
		}
		for _, n := range names {
			if why := checkProjectName(n); why != "" {
				return fmt.Errorf("WalkProjects(%q): %s", n, why)
			}
		}
		c.projects = append(c.projects, names...)
		return nil
	}
}

// WalkRepositories limits the walk to the named repositories, given with
// their project as Harbor names them: "project/team/app". No project or
// repository is listed then. A name without a project and a repository, or
// with an empty or upper-case path component, is an error.
func WalkRepositories(fullNames ...string) WalkOption {
	return func(c *walkConfig) error {
		if len(fullNames) == 0 {
			return fmt.Errorf("WalkRepositories(): no repository named (leave the option out to walk every repository)")
		}
		for _, n := range fullNames {
			p, r, ok := strings.Cut(n, "/")
			if !ok {
				return fmt.Errorf("WalkRepositories(%q): want project/repository, e.g. \"library/team/app\"", n)
			}
			if why := checkProjectName(p); why != "" {
				return fmt.Errorf("WalkRepositories(%q): project %q: %s", n, p, why)
			}
			if why := checkRepositoryPath(r); why != "" {
				return fmt.Errorf("WalkRepositories(%q): repository %q: %s", n, r, why)
			}
			c.repositories = append(c.repositories, repoRef{p, r})
		}
		return nil
	}
}

// WalkTags keeps only artifacts that carry at least one of the tags. A tag
// that cannot be an OCI tag (empty, longer than 128 characters, or with
// characters other than letters, digits, "_", "." and "-") is an error.
func WalkTags(tags ...string) WalkOption {
	return func(c *walkConfig) error {
		if len(tags) == 0 {
			return fmt.Errorf("WalkTags(): no tag named (leave the option out to keep every artifact)")
		}
		for _, t := range tags {
			if why := checkTag(t); why != "" {
				return fmt.Errorf("WalkTags(%q): %s", t, why)
			}
		}
		if c.tags == nil {
			c.tags = map[string]bool{}
		}
		for _, t := range tags {
			c.tags[t] = true
		}
		return nil
	}
}

// WalkProjectQuery passes Harbor's q filter (e.g. "name=~team") to the
// project listing. A q that is not Harbor's key=value list is an error.
func WalkProjectQuery(q string) WalkOption {
	return func(c *walkConfig) error {
		if why := checkQuery(q); why != "" {
			return fmt.Errorf("WalkProjectQuery(%q): %s", q, why)
		}
		c.projectQ = q
		return nil
	}
}

// WalkRepositoryQuery passes Harbor's q filter (e.g. "name=~app") to every
// repository listing. A q that is not Harbor's key=value list is an error.
func WalkRepositoryQuery(q string) WalkOption {
	return func(c *walkConfig) error {
		if why := checkQuery(q); why != "" {
			return fmt.Errorf("WalkRepositoryQuery(%q): %s", q, why)
		}
		c.repoQ = q
		return nil
	}
}

// WalkArtifactQuery passes Harbor's q filter (e.g. "tags=*", "type=IMAGE",
// "labels=(3)") to every artifact listing. A q that is not Harbor's
// key=value list is an error.
func WalkArtifactQuery(q string) WalkOption {
	return func(c *walkConfig) error {
		if why := checkQuery(q); why != "" {
			return fmt.Errorf("WalkArtifactQuery(%q): %s", q, why)
		}
		c.artifactQ = q
		return nil
	}
}

// WalkReports fetches each artifact's vulnerability report of type typ
// (ReportGeneric or ReportNative; another value is an error): one request
// per successfully scanned artifact. Without it, ArtifactInfo.Scan (the
// listing's scan overview, of the generic type) already tells each
// artifact's scan status and counts per severity, at no request. An
// artifact without a report is yielded without an error: its Scan.Status
// says why ("" never scanned, Pending, Running, Error, Stopped).
func WalkReports(typ ReportType) WalkOption {
	return func(c *walkConfig) error {
		if why := checkReportType(typ); why != "" {
			return fmt.Errorf("WalkReports(%q): %s", typ, why)
		}
		c.reports, c.reportType = true, typ
		return nil
	}
}

// WalkConcurrency walks up to workers repositories at once (1 to 64), with
// at most workers requests in flight (listing the repositories included),
// so at most workers kept-alive connections. Items then come in no
// particular order. Default 1: sequential, in listing order. Another value
// is an error, as for Concurrent.
func WalkConcurrency(workers int) WalkOption {
	return func(c *walkConfig) error {
		if workers < 1 || workers > maxWorkers {
			return fmt.Errorf("WalkConcurrency(%d): workers must be 1 to %d", workers, maxWorkers)
		}
		c.workers = workers
		return nil
	}
}
