// Command inventory writes a CSV of every artifact in Harbor with its scan
// state and counts per severity, showing its progress on stderr. It costs
// one request per page of projects, repositories and artifacts: the counts
// come from the listings' scan overview, not from a report per artifact.
//
// With HARBOR_URL set it reads that Harbor (HARBOR_CREDENTIALS_FILE, or
// HARBOR_USERNAME / HARBOR_PASSWORD: a robot with repository:list and
// artifact:list on the projects is enough); otherwise it reads a sample
// registry in the SDK's in-memory Harbor (harbortest).
//
//	go run ./examples/inventory [-project name]... [-concurrency 4] [-o inventory.csv]
//
// An artifact never scanned is a row with an empty scan status, not an
// error. An error about one project or repository is reported on stderr
// and the inventory goes on; the exit status is then 1.
package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

type projectList []string

func (p *projectList) String() string     { return strings.Join(*p, ",") }
func (p *projectList) Set(v string) error { *p = append(*p, v); return nil }

// config is what the flags set.
type config struct {
	projects    projectList
	concurrency int
}

// header is the CSV's first row.
var header = []string{"project", "repository", "digest", "tags", "scan_status", "critical", "high", "medium", "low", "none", "unknown", "fixable", "scanner"}

func main() {
	var cfg config
	out := flag.String("o", "", "write the CSV there (default: stdout)")
	flag.Var(&cfg.projects, "project", "walk only this project (repeatable; default: every project)")
	flag.IntVar(&cfg.concurrency, "concurrency", 4, "repositories walked at once (1 to 64)")
	flag.Parse()
	var c *harbor.Client
	var err error
	if os.Getenv(harbor.EnvURL) != "" {
		c, err = harbor.NewClientFromEnv()
	} else {
		srv := harbortest.NewServer()
		defer srv.Close()
		srv.AddSampleRegistry()
		fmt.Fprintf(os.Stderr, "HARBOR_URL is not set: reading a sample registry in the in-memory Harbor at %s\n", srv.URL)
		c, err = harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	}
	w := io.Writer(os.Stdout)
	if err == nil && *out != "" {
		var f *os.File
		if f, err = os.Create(*out); err == nil {
			defer f.Close()
			w = f
		}
	}
	if err == nil {
		err = inventory(context.Background(), c, cfg, w, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// inventory writes the CSV to w and the progress and per-repository errors
// to stderr. It returns an error when the walk could not start, or saying
// how many projects or repositories could not be read.
func inventory(ctx context.Context, c *harbor.Client, cfg config, w, stderr io.Writer) error {
	opts := &harbor.WalkOptions{Projects: cfg.projects, Concurrency: cfg.concurrency, Progress: progressLine(stderr)}
	out := csv.NewWriter(w)
	if err := out.Write(header); err != nil {
		return err
	}
	rows, failed := 0, 0
	for a, err := range c.WalkArtifacts(ctx, opts) {
		switch {
		case err != nil && a.Project == "":
			return err // the walk could not start or list the projects: it has ended
		case err != nil:
			fmt.Fprintf(stderr, "\n%s: %v\n", a.Reference(), err)
			failed++
			continue
		}
		s := a.Scan
		scanner := ""
		if s.Scanner != nil {
			scanner = strings.TrimSpace(s.Scanner.Name + " " + s.Scanner.Version)
		}
		n := func(sev harbor.Severity) string { return strconv.Itoa(s.Counts[sev]) }
		if err := out.Write([]string{a.Project, a.Repository, a.Digest(), strings.Join(a.Tags(), " "), s.Status,
			n(harbor.SeverityCritical), n(harbor.SeverityHigh), n(harbor.SeverityMedium), n(harbor.SeverityLow),
			n(harbor.SeverityNone), n(harbor.SeverityUnknown), strconv.Itoa(s.Fixable), scanner}); err != nil {
			return err
		}
		rows++
	}
	out.Flush()
	fmt.Fprintf(stderr, "\n%d artifact(s) written\n", rows)
	if err := out.Error(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d project(s) or repositories could not be read (see above)", failed)
	}
	return nil
}

// progressLine returns a WalkOptions.Progress that redraws one line on stderr
// at most every 200ms, and always when the last artifact announced is reached.
func progressLine(stderr io.Writer) func(harbor.WalkProgress) {
	var last time.Time
	return func(p harbor.WalkProgress) {
		if time.Since(last) < 200*time.Millisecond && p.Artifacts < p.ArtifactsTotal {
			return
		}
		last = time.Now()
		fmt.Fprintf(stderr, "\rprojects %d/%d  repositories %d/%d  artifacts %d/%d ",
			p.Projects, p.ProjectsTotal, p.Repositories, p.RepositoriesTotal, p.Artifacts, p.ArtifactsTotal)
	}
}
