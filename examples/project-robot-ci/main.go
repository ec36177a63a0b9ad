// Command project-robot-ci provisions what a CI pipeline needs to push
// images to Harbor: a project and a robot account of that project allowed to
// pull and push (harbor.ProjectRobot), whose credentials file is saved. It
// prints the docker login command for CI, which reads the secret from the
// file: the secret is never printed.
//
// With HARBOR_URL set (and HARBOR_USERNAME / HARBOR_PASSWORD for a user who
// may create projects and robots, usually an administrator) it talks to that
// Harbor, after checking that it accepts them (Whoami), and keeps what it
// creates (-cleanup removes it at the end);
// otherwise it starts the SDK's in-memory Harbor (package harbortest)
// in-process.
//
//	go run ./examples/project-robot-ci [-project ci-demo] [-robot ci] [-days 30] [-out robot.json] [-cleanup]
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/harborkit/harbor-sdk-go/internal/termtext"
)

// config is what the flags set.
type config struct {
	project string // default: "ci-example-<random>"
	robot   string
	days    int64
	out     string // default: a file in a new temporary directory
	cleanup bool   // delete the robot and a project created here at the end
}

func main() {
	var cfg config
	flag.StringVar(&cfg.project, "project", "", `project to create or reuse (default "ci-example-<random>")`)
	flag.StringVar(&cfg.robot, "robot", "ci", "the robot's short name; Harbor names it robot$<project>+<name>")
	flag.Int64Var(&cfg.days, "days", 30, "days until the robot expires (-1: never)")
	flag.StringVar(&cfg.out, "out", "", "where to save the credentials file (default: a new temporary directory)")
	flag.BoolVar(&cfg.cleanup, "cleanup", false, "delete the robot (and the project, if created here) at the end")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "error:", termtext.Escape(err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, cfg config) error {
	say := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }

	admin, inMemory, closeServer, err := connect(ctx, say)
	if err != nil {
		return err
	}
	defer closeServer()
	cleanup := cfg.cleanup || inMemory

	if cfg.project == "" {
		cfg.project = "ci-example-" + suffix()
	}
	if cfg.out == "" {
		dir, err := os.MkdirTemp("", "harbor-ci-robot-")
		if err != nil {
			return err
		}
		if cleanup {
			defer func() {
				if os.RemoveAll(dir) == nil {
					say("   removed the temporary credentials file")
				}
			}()
		}
		cfg.out = filepath.Join(dir, "robot.json")
	}

	// 1. The project (private by default), or the existing one of that name.
	_, err = admin.API().Project.CreateProject(ctx, project.NewCreateProjectParams().
		WithProject(&models.ProjectReq{ProjectName: cfg.project}))
	switch he, _ := harbor.AsError(err); {
	case err == nil:
		say("1. Created project %q", cfg.project)
		if cleanup {
			defer func() {
				_, err := admin.API().Project.DeleteProject(ctx, project.NewDeleteProjectParams().WithProjectNameOrID(cfg.project))
				if err != nil {
					say("   cleanup: could not delete project %q: %s", cfg.project, termtext.Escape(err.Error()))
					return
				}
				say("   deleted project %q", cfg.project)
			}()
		}
	case he != nil && errors.Is(he, harbor.ErrConflict):
		say("1. Project %q exists: using it", cfg.project)
	default:
		return fmt.Errorf("creating project %q: %w", cfg.project, err)
	}

	// 2. The project robot: pull and push on this project only. CreateRobot
	// checks the description and that the file can be written before asking
	// Harbor, and saves the secret (shown only once) before returning.
	rc := harbor.ProjectRobot(cfg.project, cfg.robot, cfg.days,
		harbor.Allow(harbor.ResourceRepository, harbor.ActionPull),
		harbor.Allow(harbor.ResourceRepository, harbor.ActionPush))
	rc.Description = "CI push access to " + cfg.project + " (harbor-sdk-go's project-robot-ci example)"
	created, err := admin.CreateRobot(ctx, rc, harbor.SaveCredentials(cfg.out))
	if created != nil && cleanup {
		defer func() {
			if _, err := admin.API().Robot.DeleteRobot(ctx, robot.NewDeleteRobotParams().WithRobotID(created.ID)); err != nil {
				say("   cleanup: could not delete robot %q: %s", created.Name, termtext.Escape(err.Error()))
				return
			}
			say("5. Cleaned up: deleted robot %q", created.Name)
		}()
	}
	if errors.Is(err, harbor.ErrConflict) {
		return fmt.Errorf("project %q already has a robot named %q: choose another -robot, or rotate its secret instead: %w", cfg.project, cfg.robot, err)
	}
	if err != nil {
		return fmt.Errorf("creating the robot: %w", err)
	}
	expiry := fmt.Sprintf("expires in %d days", cfg.days)
	if cfg.days == harbor.NeverExpires {
		expiry = "never expires"
	}
	say("2. Created robot %q (id %d): pull and push on %q, %s", created.Name, created.ID, cfg.project, expiry)
	say("   credentials saved to %s (mode 0600)", cfg.out)

	// 3. Prove the file works before handing it to CI.
	bot, err := admin.With(harbor.WithCredentialsFile(cfg.out))
	if err != nil {
		return fmt.Errorf("building the robot's client from %s: %w", cfg.out, err)
	}
	who, err := bot.Whoami(ctx)
	if err != nil {
		return fmt.Errorf("checking the robot's credentials: %w", err)
	}
	say("3. A client built from the file authenticates as %s %q", who.Kind, who.Name)

	// 4. What CI runs: the secret goes from the file to docker's stdin.
	say("4. In CI, log in with:")
	say("   %s", termtext.Escape(DockerLogin(registryHost(admin), created.Name, cfg.out)))
	return nil
}

// DockerLogin returns the shell command that logs docker in to host as the
// robot whose credentials file is at path, reading the secret from the file
// with jq so that it never appears in the command line or the logs.
func DockerLogin(host, robotName, path string) string {
	return fmt.Sprintf("jq -r .secret %s | docker login %s --username %s --password-stdin",
		shellQuote(path), host, shellQuote(robotName))
}

// shellQuote quotes s for a POSIX shell: robot names contain "$".
func shellQuote(s string) string {
	out := "'"
	for _, r := range s {
		if r == '\'' {
			out += `'\''`
			continue
		}
		out += string(r)
	}
	return out + "'"
}

// registryHost is where docker logs in: Harbor's host (and port).
func registryHost(c *harbor.Client) string {
	u, err := url.Parse(c.BaseURL())
	if err != nil {
		return "<harbor host>"
	}
	return u.Host
}

// connect builds a client from the HARBOR_* environment, or starts the
// in-memory Harbor and connects as its administrator.
func connect(ctx context.Context, say func(string, ...any)) (c *harbor.Client, inMemory bool, closeServer func(), err error) {
	if os.Getenv(harbor.EnvURL) != "" {
		c, err := harbor.NewClientFromEnv()
		if err == nil {
			// Harbor answers wrong credentials as if anonymous: check first.
			_, err = c.Whoami(ctx)
		}
		return c, false, func() {}, err
	}
	srv := harbortest.NewServer()
	say("0. HARBOR_URL is not set: using the in-memory Harbor at %s", srv.URL)
	c, err = harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	if err != nil {
		srv.Close()
		return nil, false, nil, err
	}
	return c, true, srv.Close, nil
}

// suffix keeps project names unique when the example runs against a real Harbor.
func suffix() string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}
