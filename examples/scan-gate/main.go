// Command scan-gate is a CI gate on Harbor's vulnerability scan: it scans an
// image, waits for the report, prints the counts per severity and the
// fixable findings at or above a threshold, and exits 1 when there are more
// of them than allowed.
//
// With HARBOR_URL set it talks to that Harbor, authenticated by
// HARBOR_CREDENTIALS_FILE (a robot credentials file: the robot needs
// scan:create, artifact:read and artifact-addition:read on the project) or
// HARBOR_USERNAME / HARBOR_PASSWORD; it first checks that Harbor accepts
// them (Whoami), since Harbor answers public reads anonymously when they
// are wrong. Text from Harbor and the scanner is printed with control
// characters escaped, so that no package version can forge a verdict line.
// Without HARBOR_URL and without an image
// argument it runs a demonstration against the SDK's in-memory Harbor
// (package harbortest), as a robot it creates there, on a sample image with
// a fixable Critical finding: the gate fails on purpose and says so.
//
//	go run ./examples/scan-gate [-severity critical] [-max 0] [-all] [-timeout 10m] project/repo:tag
//	go run ./examples/scan-gate demo/team/app@sha256:...
//
// Exit status: 0 the gate passes, 1 it fails (the demonstration fails on
// purpose and says so), 2 a bad flag or argument, or the scan or a request
// failed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/harborkit/harbor-sdk-go/internal/termtext"
)

// config is what the flags and the argument set.
type config struct {
	image    string          // project/repository:tag or project/repository@digest
	severity harbor.Severity // findings at or above it count
	max      int             // how many of them are allowed
	all      bool            // count unfixable findings too
	timeout  time.Duration
	poll     time.Duration // first wait between looks at the scan status
}

// errGateFailed is the gate's verdict, not a failure of the program.
var errGateFailed = errors.New("gate failed")

func main() {
	os.Exit(cli(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// cli runs the command with args and returns its exit status: 0 the gate
// passes, 1 it fails, 2 a usage error or a failure (scan or request).
func cli(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseArgs(args, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		fmt.Fprintln(stderr, "scan-gate:", err)
		fmt.Fprintln(stderr, "usage: scan-gate [-severity critical] [-max 0] [-all] [-timeout 10m] [project/repository:tag | project/repository@sha256:...]")
		return 2
	}
	switch err := run(ctx, stdout, cfg); {
	case errors.Is(err, errGateFailed):
		return 1
	case err != nil:
		fmt.Fprintln(stderr, "scan-gate: error:", termtext.Escape(err.Error()))
		return 2
	}
	return 0
}

// parseArgs reads the flags and the image argument, refusing bad values
// before anything is started.
func parseArgs(args []string, stderr io.Writer) (config, error) {
	cfg := config{poll: time.Second}
	fs := flag.NewFlagSet("scan-gate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sev := fs.String("severity", "critical", "lowest severity that counts: critical, high, medium, low, none, unknown")
	fs.IntVar(&cfg.max, "max", 0, "how many counted findings are allowed (0 or more)")
	fs.BoolVar(&cfg.all, "all", false, "count unfixable findings too (default: only those with a fixed version)")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Minute, "how long to wait for the scan (more than 0)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	var err error
	if cfg.severity, err = harbor.ParseSeverity(*sev); err != nil {
		return cfg, fmt.Errorf("-severity %q: %w", *sev, err)
	}
	switch {
	case cfg.max < 0:
		return cfg, fmt.Errorf("-max %d: must be 0 or more", cfg.max)
	case cfg.timeout <= 0:
		return cfg, fmt.Errorf("-timeout %v: must be more than 0", cfg.timeout)
	case fs.NArg() > 1:
		return cfg, fmt.Errorf("one image reference at most, got %d (%s)", fs.NArg(), strings.Join(fs.Args(), " "))
	}
	cfg.image = fs.Arg(0)
	if cfg.image != "" {
		if _, _, _, err := parseImage(cfg.image); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

// parseImage splits "project/repo/sub:tag" or "project/repo@sha256:..."
// (an optional leading registry host is dropped).
func parseImage(ref string) (project, repo, reference string, err error) {
	name := ref
	if i := strings.Index(ref, "@"); i >= 0 {
		name, reference = ref[:i], ref[i+1:]
	} else if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		name, reference = ref[:i], ref[i+1:]
	}
	parts := strings.Split(name, "/")
	if len(parts) >= 3 && strings.ContainsAny(parts[0], ".:") { // registry host
		parts = parts[1:]
	}
	if len(parts) < 2 || reference == "" || slicesContainEmpty(parts) {
		return "", "", "", fmt.Errorf("image %q: want project/repository:tag or project/repository@sha256:<hex>", ref)
	}
	return parts[0], strings.Join(parts[1:], "/"), reference, nil
}

func slicesContainEmpty(ss []string) bool {
	for _, s := range ss {
		if s == "" {
			return true
		}
	}
	return false
}

func run(ctx context.Context, w io.Writer, cfg config) error {
	say := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	c, image, demo, closeServer, err := connect(ctx, say, cfg.image)
	if err != nil {
		return err
	}
	defer closeServer()
	if demo {
		cfg.poll = 100 * time.Millisecond
	}
	project, repo, reference, err := parseImage(image)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	say("Scanning %s as %s ...", termtext.Escape(image), termtext.Escape(c.Username()))
	start := time.Now()
	rep, err := c.ScanAndWait(ctx, project, repo, reference, harbor.ReportGeneric, harbor.ScanPolling(cfg.poll, 15*cfg.poll))
	switch {
	case errors.Is(err, harbor.ErrScanFailed):
		return fmt.Errorf("the scan failed in Harbor (see the scan log in Harbor's UI): %w", err)
	case errors.Is(err, harbor.ErrScanStopped):
		return fmt.Errorf("the scan was stopped: %w", err)
	case errors.Is(err, harbor.ErrScanTimeout):
		return fmt.Errorf("no report after %s: %w", cfg.timeout, err)
	case err != nil:
		return err
	}
	// Text from Harbor and the scanner is escaped: a version holding
	// "\nGATE PASSED" must not forge a line, nor an ESC sequence erase one.
	say("Scanned by %s %s in %s; %d findings.", termtext.Escape(rep.Scanner.Name), termtext.Escape(rep.Scanner.Version),
		time.Since(start).Round(time.Millisecond), len(rep.Vulnerabilities))

	counts := rep.Counts()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEVERITY\tFINDINGS\tFIXABLE")
	fixable := harbor.CountBySeverity(harbor.FilterVulnerabilities(rep.All(), harbor.Fixable()))
	for _, s := range harbor.Severities {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", s, counts[s], fixable[s])
	}
	_ = tw.Flush()

	filters := []harbor.VulnerabilityFilter{harbor.MinSeverity(cfg.severity)}
	what := "fixable findings"
	if !cfg.all {
		filters = append(filters, harbor.Fixable())
	} else {
		what = "findings"
	}
	hits := rep.Filter(filters...)
	if len(hits) > 0 {
		say("")
		say("%s of severity %s or worse:", strings.ToUpper(what[:1])+what[1:], cfg.severity)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSEVERITY\tPACKAGE\tVERSION\tFIXED IN")
		for _, v := range hits {
			fix := v.FixVersion
			if fix == "" {
				fix = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", termtext.Escape(v.ID), v.Severity, termtext.Escape(v.Package), termtext.Escape(v.Version), termtext.Escape(fix))
		}
		_ = tw.Flush()
	}
	say("")
	if len(hits) > cfg.max {
		if demo && cfg.image == "" {
			say("GATE FAILED (on purpose: the demonstration image has a fixable Critical finding): %d %s of severity %s or worse, %d allowed.",
				len(hits), what, cfg.severity, cfg.max)
		} else {
			say("GATE FAILED: %d %s of severity %s or worse, %d allowed.", len(hits), what, cfg.severity, cfg.max)
		}
		return errGateFailed
	}
	say("GATE PASSED: %d %s of severity %s or worse, %d allowed.", len(hits), what, cfg.severity, cfg.max)
	return nil
}

// connect returns a client for HARBOR_URL, or starts the in-memory Harbor
// with a sample image and returns a client authenticated as a robot that
// may scan and read it. image is the image to scan (the sample one in the
// demonstration).
func connect(ctx context.Context, say func(string, ...any), image string) (c *harbor.Client, img string, demo bool, closeServer func(), err error) {
	if os.Getenv(harbor.EnvURL) != "" {
		if image == "" {
			return nil, "", false, nil, errors.New("an image reference is required with HARBOR_URL (project/repository:tag)")
		}
		c, err := harbor.NewClientFromEnv()
		if err == nil {
			// Harbor answers a public project's reads anonymously when the
			// credentials are wrong: a verdict must not rest on that.
			_, err = c.Whoami(ctx)
		}
		return c, image, false, func() {}, err
	}
	srv := harbortest.NewServer()
	srv.AddProject("demo", false)
	srv.AddImage("demo", "team/app", "1.0")
	srv.AddImage("demo", "team/app", "2.0")
	// The next scan of 1.0 finds the sample findings (a fixable Critical
	// among them) after a short while; 2.0 scans clean.
	srv.PlanScan("demo", "team/app", "1.0", harbortest.SampleVulnerabilities(), 300*time.Millisecond)
	srv.PlanScan("demo", "team/app", "2.0", harbortest.SampleVulnerabilities()[3:], 300*time.Millisecond)
	if image == "" {
		image = "demo/team/app:1.0"
	}
	say("HARBOR_URL is not set: using the in-memory Harbor at %s (sample images demo/team/app:1.0 and :2.0)", srv.URL)
	admin, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	if err == nil {
		// What a CI pipeline should use: a robot of the project allowed to
		// scan and read reports, not an administrator.
		rc := harbor.ProjectRobot("demo", "scan-gate", 1,
			harbor.Allow(harbor.ResourceScan, harbor.ActionCreate),
			harbor.Allow(harbor.ResourceArtifact, harbor.ActionRead),
			harbor.Allow(harbor.ResourceArtifactAddition, harbor.ActionRead))
		created, cerr := admin.CreateRobot(ctx, rc)
		err = cerr
		if err == nil {
			say("Created robot %q (scan:create, artifact:read, artifact-addition:read on demo); in CI, give its credentials file as HARBOR_CREDENTIALS_FILE", termtext.Escape(created.Name))
			c, err = admin.With(harbor.WithCredentials(*harbor.RobotCredentials(rc, created)))
		}
	}
	if err != nil {
		srv.Close()
		return nil, "", false, nil, err
	}
	return c, image, true, srv.Close, nil
}
