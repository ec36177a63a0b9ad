// Command rotate-secret shows a robot secret rotation end to end: it creates
// a robot whose credentials file is saved, rotates the secret with
// (*harbor.Client).RotateCredentialsFile, which rewrites the file, and shows
// that a client built from the new file works while the old secret is
// refused. The robot is deleted at the end.
//
// With HARBOR_URL set (and HARBOR_USERNAME / HARBOR_PASSWORD for an
// administrator, checked first with Whoami) it talks to that Harbor; otherwise it starts the SDK's
// in-memory Harbor (package harbortest) in-process.
//
//	go run ./examples/rotate-secret [-out robot.json]
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

	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/harborkit/harbor-sdk-go/internal/termtext"
)

func main() {
	out := flag.String("out", "", "where to save the robot's credentials file (default: a temporary file, removed at the end)")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *out); err != nil {
		fmt.Fprintln(os.Stderr, "error:", termtext.Escape(err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, out string) error {
	say := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }

	admin, closeServer, err := connect(ctx, say)
	if err != nil {
		return err
	}
	defer closeServer()

	if out == "" {
		dir, err := os.MkdirTemp("", "harbor-rotate-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		out = filepath.Join(dir, "robot.json")
	}

	// 1. A robot that may only list projects, with its credentials file.
	rc := harbor.SystemRobot("rotate-example-"+suffix(), 1, harbor.Allow(harbor.ResourceProject, harbor.ActionList))
	rc.Description = "created by harbor-sdk-go's rotate-secret example"
	created, err := admin.CreateRobot(ctx, rc, harbor.SaveCredentials(out))
	if created != nil {
		defer func() {
			if _, err := admin.API().Robot.DeleteRobot(ctx, robot.NewDeleteRobotParams().WithRobotID(created.ID)); err != nil {
				say("   cleanup: could not delete robot %q: %s", created.Name, termtext.Escape(err.Error()))
				return
			}
			say("6. Cleaned up: deleted robot %q", created.Name)
		}()
	}
	if err != nil {
		return fmt.Errorf("creating the robot: %w", err)
	}
	say("1. Created robot %q (id %d); credentials saved to %s", created.Name, created.ID, out)

	// 2. A client built from the file reads it once: it keeps this secret.
	before, err := robotClient(admin, out)
	if err != nil {
		return err
	}
	who, err := before.Whoami(ctx)
	if err != nil {
		return fmt.Errorf("the robot's first secret: %w", err)
	}
	say("2. A client built from the file authenticates as %s %q", who.Kind, who.Name)

	// 3. Rotate: Harbor generates a new secret ("" asks it to), and the file
	// is rewritten atomically with it, keeping every other field.
	if _, err := admin.RotateCredentialsFile(ctx, out, ""); err != nil {
		return fmt.Errorf("rotating the secret: %w", err)
	}
	say("3. Rotated the secret with RotateCredentialsFile: %s now holds the new one", out)

	after, err := robotClient(admin, out)
	if err != nil {
		return err
	}
	who, err = after.Whoami(ctx)
	if err != nil {
		return fmt.Errorf("the rotated secret: %w", err)
	}
	say("4. A client built from the rewritten file authenticates as %s %q", who.Kind, who.Name)

	_, err = before.Whoami(ctx)
	if !errors.Is(err, harbor.ErrUnauthorized) {
		return fmt.Errorf("the old secret should be refused with 401, got: %v", err)
	}
	say("5. The client still holding the old secret is refused: errors.Is(err, harbor.ErrUnauthorized) is true")
	return nil
}

// robotClient builds a client from a credentials file, with the same URL
// and TLS settings as the administrator's client.
func robotClient(admin *harbor.Client, path string) (*harbor.Client, error) {
	c, err := admin.With(harbor.WithCredentialsFile(path))
	if err != nil {
		return nil, fmt.Errorf("building the robot's client from %s: %w", path, err)
	}
	return c, nil
}

// connect builds a client from the HARBOR_* environment, or starts the
// in-memory Harbor and connects as its administrator.
func connect(ctx context.Context, say func(string, ...any)) (*harbor.Client, func(), error) {
	if os.Getenv(harbor.EnvURL) != "" {
		c, err := harbor.NewClientFromEnv()
		if err == nil {
			// Harbor answers wrong credentials as if anonymous: check first.
			_, err = c.Whoami(ctx)
		}
		return c, func() {}, err
	}
	srv := harbortest.NewServer()
	say("0. HARBOR_URL is not set: using the in-memory Harbor at %s", srv.URL)
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return c, srv.Close, nil
}

// suffix keeps robot names unique when the example runs against a real Harbor.
func suffix() string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}
