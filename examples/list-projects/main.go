// Command list-projects lists every Harbor project the caller may see, page
// by page with harbor.All, and prints how many there are.
//
// With HARBOR_URL set (HARBOR_USERNAME / HARBOR_PASSWORD, or
// HARBOR_CREDENTIALS_FILE, for the caller; none for anonymous access to
// public projects) it talks to that Harbor; otherwise it starts the SDK's
// in-memory Harbor (package harbortest) in-process and seeds a few projects.
// Credentials are checked first (Whoami): Harbor answers wrong ones as if
// anonymous, which would silently leave out every private project. An
// anonymous listing says that it is one. Names from Harbor are printed with
// control characters escaped.
//
//	go run ./examples/list-projects [-page-size 10] [-q name=~team]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/harborkit/harbor-sdk-go/internal/termtext"
)

// seeded is how many projects the in-memory Harbor gets besides "library".
const seeded = 12

func main() {
	os.Exit(cli(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// cli runs the command with args and returns its exit status: 0 on
// success, 1 when listing fails (a -page-size outside 1-100 included: All
// reports it before any request), 2 for flags that do not parse.
func cli(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("list-projects", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pageSize := fs.Int("page-size", harbor.MaxPageSize, "projects per request (1-100)")
	query := fs.String("q", "", `Harbor's q filter, e.g. "name=~team" or "public=true"`)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := run(ctx, stdout, *pageSize, *query); err != nil {
		fmt.Fprintln(stderr, "error:", termtext.Escape(err.Error()))
		return 1
	}
	return 0
}

func run(ctx context.Context, w io.Writer, pageSize int, query string) error {
	c, closeServer, err := connect(ctx, w)
	if err != nil {
		return err
	}
	defer closeServer()

	params := project.NewListProjectsParams()
	if query != "" {
		params.SetQ(&query)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPROJECT\tACCESS\tREPOSITORIES")
	n := 0
	for p, err := range harbor.All(ctx, c.API().Project.ListProjects, params, harbor.PageSize(pageSize)) {
		if err != nil {
			return fmt.Errorf("listing projects: %w", err)
		}
		access := "private"
		if p.Metadata != nil && p.Metadata.Public == "true" {
			access = "public"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\n", p.ProjectID, termtext.Escape(p.Name), access, p.RepoCount)
		n++
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d projects (listed %d per request)\n", n, pageSize)
	return nil
}

// connect builds a client from the HARBOR_* environment, or starts the
// in-memory Harbor with a few projects and connects as its administrator.
func connect(ctx context.Context, w io.Writer) (*harbor.Client, func(), error) {
	if os.Getenv(harbor.EnvURL) != "" {
		c, err := harbor.NewClientFromEnv()
		switch {
		case err != nil:
		case c.Username() == "":
			fmt.Fprintln(w, "No credentials: listing anonymously, public projects only")
		default:
			_, err = c.Whoami(ctx)
		}
		return c, func() {}, err
	}
	srv := harbortest.NewServer()
	srv.AddProjects(seeded)
	fmt.Fprintf(w, "HARBOR_URL is not set: using the in-memory Harbor at %s with %d seeded projects\n", srv.URL, seeded)
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return c, srv.Close, nil
}
