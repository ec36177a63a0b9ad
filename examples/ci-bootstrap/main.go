// Command ci-bootstrap sets up what a CI pipeline needs in Harbor, and is
// safe to run again: it ensures the project exists, gives it a CI robot
// (harbor.CIAccess: push, pull, scan, read reports) whose credentials file
// it saves, or reuses the robot when that file still works, and then, as
// the robot, gates an image on its vulnerability scan.
//
// With HARBOR_URL set (and HARBOR_USERNAME / HARBOR_PASSWORD for a user who
// may create projects and robots) it talks to that Harbor and keeps what it
// creates; otherwise it starts the SDK's in-memory Harbor (harbortest) with
// a sample image and runs twice, to show the second run reuses everything.
//
//	go run ./examples/ci-bootstrap [-project ci] [-robot builder] [-out robot.json] [-image app:1.0] [-fail-on critical] [-recreate]
//
// A robot whose credentials file was lost cannot be recovered (Harbor shows
// a secret once): -recreate deletes it by name and creates it again.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// config is what the flags set.
type config struct {
	project  string
	robot    string
	out      string // the robot's credentials file
	image    string // repository:tag in the project to gate; "" skips the gate
	failOn   harbor.Severity
	recreate bool // delete and recreate a robot whose file is missing
	// push stands for the pipeline's docker push (in-memory demo only).
	push func(project, repository, tag string)
}

// errGateFailed is the gate's verdict, not a failure of the program.
var errGateFailed = errors.New("scan gate failed")

func main() {
	cfg := config{failOn: harbor.SeverityCritical}
	flag.StringVar(&cfg.project, "project", "ci", "the project to ensure")
	flag.StringVar(&cfg.robot, "robot", "builder", "the CI robot's short name")
	flag.StringVar(&cfg.out, "out", "", "the robot's credentials file (default: ci-robot.json in a temporary directory)")
	flag.StringVar(&cfg.image, "image", "", `repository:tag in the project to scan and gate (in-memory default "app:1.0")`)
	flag.TextVar(&cfg.failOn, "fail-on", harbor.SeverityCritical, "fail at this severity or above")
	flag.BoolVar(&cfg.recreate, "recreate", false, "delete and recreate a robot whose credentials file is missing")
	flag.Parse()
	ctx := context.Background()
	if os.Getenv(harbor.EnvURL) != "" {
		admin, err := harbor.NewClientFromEnv()
		if err == nil {
			err = bootstrap(ctx, os.Stdout, admin, cfg)
		}
		exit(err)
	}
	srv := harbortest.NewServer()
	defer srv.Close()
	fmt.Printf("HARBOR_URL is not set: using the in-memory Harbor at %s, running twice\n", srv.URL)
	if cfg.out == "" {
		dir, err := os.MkdirTemp("", "ci-bootstrap-")
		exit(err)
		defer os.RemoveAll(dir)
		cfg.out = filepath.Join(dir, "ci-robot.json")
	}
	exit(demo(ctx, os.Stdout, srv, cfg))
}

func exit(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// demo runs bootstrap twice against srv, with a sample image CI "pushed".
func demo(ctx context.Context, w io.Writer, srv *harbortest.Server, cfg config) error {
	admin, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	if err != nil {
		return err
	}
	if cfg.image == "" {
		cfg.image = "app:1.0"
	}
	cfg.push = func(project, repo, tag string) {
		if _, err := admin.GetArtifact(ctx, project, repo, tag); errors.Is(err, harbor.ErrNotFound) {
			srv.AddImage(project, repo, tag) // a new image; a second run pushes the same one
		}
		srv.PlanScan(project, repo, tag, harbortest.SampleVulnerabilities()[1:], 0) // High and below
	}
	for run := 1; run <= 2; run++ {
		fmt.Fprintf(w, "-- run %d\n", run)
		if err := bootstrap(ctx, w, admin, cfg); err != nil {
			return err
		}
	}
	return nil
}

// bootstrap ensures the project and the CI robot, then gates the image.
func bootstrap(ctx context.Context, w io.Writer, admin *harbor.Client, cfg config) error {
	say := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }

	// 1. The project: created, or found (also when another job creates it now).
	_, created, err := admin.EnsureProject(ctx, &models.ProjectReq{ProjectName: cfg.project})
	if err != nil {
		return err
	}
	say("1. Project %q %s", cfg.project, map[bool]string{true: "created", false: "exists: using it"}[created])

	// 2. The CI robot, and its credentials file.
	name := admin.ProjectRobotName(ctx, cfg.project, cfg.robot)
	bot, err := admin.With(harbor.WithCredentialsFile(cfg.out))
	switch {
	case err == nil:
		if _, err := bot.Whoami(ctx); err != nil {
			return fmt.Errorf("the credentials file %s no longer works (rotate it: examples/rotate-secret): %w", cfg.out, err)
		}
		say("2. Robot %q: its credentials file %s works, reusing it", name, cfg.out)
	case errors.Is(err, fs.ErrNotExist):
		if _, ferr := admin.FindRobot(ctx, name); ferr == nil {
			if !cfg.recreate {
				return fmt.Errorf("robot %q exists but its credentials file %s is missing, and Harbor shows a secret only once: pass -recreate to delete and recreate it", name, cfg.out)
			}
			if err := admin.DeleteRobot(ctx, name); err != nil {
				return err
			}
			say("   deleted robot %q, whose credentials file was missing", name)
		} else if !errors.Is(ferr, harbor.ErrNotFound) {
			return ferr
		}
		rc := harbor.ProjectRobot(cfg.project, cfg.robot, 90, harbor.CIAccess()...)
		rc.Description = "CI: push, pull, scan (ci-bootstrap)"
		if _, err := admin.CreateRobot(ctx, rc, harbor.SaveCredentials(cfg.out)); err != nil {
			return err
		}
		say("2. Robot %q created with harbor.CIAccess; credentials saved to %s (mode 0600)", name, cfg.out)
		if bot, err = admin.With(harbor.WithCredentialsFile(cfg.out)); err != nil {
			return err
		}
	default:
		return err
	}

	// 3. The scan gate, as the robot: what the pipeline runs after its push.
	if cfg.image == "" {
		say("3. No -image: no scan gate")
		return nil
	}
	repo, tag, ok := strings.Cut(cfg.image, ":")
	if !ok {
		return fmt.Errorf("-image %q: want repository:tag", cfg.image)
	}
	if cfg.push != nil {
		cfg.push(cfg.project, repo, tag)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	rep, err := bot.ScanAndWait(ctx, cfg.project, repo, tag, harbor.ReportGeneric, harbor.ScanPolling(100*time.Millisecond, 5*time.Second))
	if err != nil {
		return err
	}
	counts := rep.Counts()
	say("3. Scanned %s/%s: %v", cfg.project, cfg.image, counts)
	if n := counts.AtLeast(cfg.failOn); n > 0 {
		return fmt.Errorf("%w: %d finding(s) at %v or above", errGateFailed, n, cfg.failOn)
	}
	say("   gate passed: nothing at %v or above", cfg.failOn)
	return nil
}
