// Command privileged-robot is the SDK's main example: it creates a Harbor
// robot account with a system-level permission the web UI cannot grant
// (project:create), saves its credentials file, and uses that file to act as
// the robot.
//
// With HARBOR_URL set (and HARBOR_USERNAME / HARBOR_PASSWORD for an
// administrator, checked first with Whoami) it talks to that Harbor; otherwise it starts the SDK's
// in-memory Harbor (package harbortest) in-process.
//
//	go run ./examples/privileged-robot [-out robot.json] [-keep]
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/client/user"
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/harborkit/harbor-sdk-go/internal/termtext"
)

func main() {
	out := flag.String("out", "", "where to save the robot's credentials file (default: a new temporary file)")
	keep := flag.Bool("keep", false, "keep the robot, the project and the credentials file")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *out, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "error:", termtext.Escape(err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, out string, keep bool) (err error) {
	say := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }

	admin, cleanupServer, err := adminClient(say)
	if err != nil {
		return err
	}
	defer cleanupServer()

	me, err := admin.Whoami(ctx)
	if err != nil {
		return fmt.Errorf("checking the administrator's credentials: %w", err)
	}
	say("1. Connected to %s as %s %q (system admin: %v)", admin.BaseURL(), me.Kind, me.Name, me.SysAdmin)

	suffix := randomSuffix()
	tempFile := out == ""
	if tempFile {
		dir, err := os.MkdirTemp("", "harbor-robot-")
		if err != nil {
			return err
		}
		out = filepath.Join(dir, "robot.json")
		if !keep {
			defer os.RemoveAll(dir)
		}
	}

	// The robot: system level, 30 days, allowed to create projects, with a
	// secret of our choosing (Harbor generates one; CreateRobot then sets ours).
	rc := harbor.SystemRobot("sdk-example-"+suffix, 30, harbor.Allow(harbor.ResourceProject, harbor.ActionCreate))
	rc.Description = "created by harbor-sdk-go's privileged-robot example"
	rc.Secret = strongSecret()
	created, err := admin.CreateRobot(ctx, rc, harbor.SaveCredentials(out))
	if created != nil && !keep {
		defer func() {
			_, derr := admin.API().Robot.DeleteRobot(ctx, robot.NewDeleteRobotParams().WithRobotID(created.ID))
			if derr != nil {
				say("   cleanup: could not delete robot %q: %s", created.Name, termtext.Escape(derr.Error()))
				return
			}
			if tempFile {
				say("6. Cleaned up: deleted robot %q, its project and the temporary credentials file", created.Name)
			} else {
				say("6. Cleaned up: deleted robot %q and its project (%s is left; its robot no longer exists)", created.Name, out)
			}
		}()
	}
	if err != nil {
		return fmt.Errorf("creating the robot: %w", err)
	}
	say("2. Created system robot %q (id %d) with project:create; credentials saved to %s (mode 0600)", created.Name, created.ID, out)

	// Same URL and TLS settings as the administrator's client, authenticating as the robot.
	bot, err := admin.With(harbor.WithCredentialsFile(out))
	if err != nil {
		return fmt.Errorf("building the robot's client from %s: %w", out, err)
	}
	who, err := bot.Whoami(ctx)
	if err != nil {
		return fmt.Errorf("checking the robot's credentials: %w", err)
	}
	say("3. A new client built from the file authenticates as %s %q", who.Kind, who.Name)

	projectName := "sdk-example-" + suffix
	_, err = bot.API().Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: projectName}))
	if err != nil {
		return fmt.Errorf("creating a project as the robot: %w", err)
	}
	if !keep {
		defer func() {
			_, derr := admin.API().Project.DeleteProject(ctx, project.NewDeleteProjectParams().WithProjectNameOrID(projectName))
			if derr != nil {
				say("   cleanup: could not delete project %q: %s", projectName, termtext.Escape(derr.Error()))
			}
		}()
	}
	say("4. As the robot, created project %q", projectName)

	// The error exactly as returned: errors.Is matches the status sentinel,
	// errors.As reaches *harbor.Error and the generated typed error.
	_, err = bot.API().User.ListUsers(ctx, user.NewListUsersParams())
	var he *harbor.Error
	var forbidden *user.ListUsersForbidden
	if !errors.Is(err, harbor.ErrForbidden) || !errors.As(err, &he) || !errors.As(err, &forbidden) {
		return fmt.Errorf("listing users as the robot should be forbidden, got: %v", err)
	}
	say("5. As the robot, listing users is refused, as it should be: errors.Is(err, harbor.ErrForbidden) is true,")
	say("   errors.As gives *harbor.Error (status %d) and the generated *user.ListUsersForbidden", he.StatusCode)
	say("   %s", termtext.Escape(err.Error()))
	if keep {
		say("6. Kept robot %q, project %q and %s (-keep)", created.Name, projectName, out)
	}
	return nil
}

// adminClient connects to HARBOR_URL, or starts the in-memory Harbor.
func adminClient(say func(string, ...any)) (*harbor.Client, func(), error) {
	if os.Getenv(harbor.EnvURL) != "" {
		c, err := harbor.NewClientFromEnv()
		if err != nil {
			return nil, nil, err
		}
		return c, func() {}, nil
	}
	srv := harbortest.NewServer()
	say("0. HARBOR_URL is not set: using the SDK's in-memory Harbor (harbortest) at %s", srv.URL)
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return c, srv.Close, nil
}

func randomSuffix() string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}

// strongSecret returns a random secret that meets Harbor's rule (8-128
// characters, upper, lower and digit).
func strongSecret() string {
	return "Sdk1" + rand.Text()
}
