// Command harbortest runs harbortest's in-memory Harbor v2.15.2 API as a
// standalone server, for clients in any language:
//
//	go run github.com/harborkit/harbor-sdk-go/cmd/harbortest -addr 127.0.0.1:8080
//
// It prints the address and the admin credentials, then serves until
// SIGINT or SIGTERM. Flags seed projects, users, robots and artifacts; with
// -tls it serves HTTPS with a self-signed certificate and writes the CA
// certificate to the file -ca-file names. Every operation of Harbor's
// swagger.yaml answers: the served ones statefully, the others with 501
// NOT_IMPLEMENTED (see harbortest/CONFORMANCE.md).
//
// State lives in memory only and is lost on exit. The server is meant for
// tests on a trusted machine: bind it to loopback.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// options are the parsed flags.
type options struct {
	addr, adminPassword, caFile, robotPrefix string
	tls                                      bool
	projects                                 int
	projectNames, users, robots, artifacts   listFlag
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("harbortest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free one)")
	fs.StringVar(&o.adminPassword, "admin-password", "Harbor12345", "password of the admin user")
	fs.StringVar(&o.robotPrefix, "robot-prefix", "robot$", "initial robot_name_prefix")
	fs.BoolVar(&o.tls, "tls", false, "serve HTTPS with a self-signed certificate")
	fs.StringVar(&o.caFile, "ca-file", "harbortest-ca.pem", "with -tls: file to write the CA certificate to (PEM)")
	fs.IntVar(&o.projects, "projects", 0, "seed N private projects project-00001 ... project-N")
	fs.Var(&o.projectNames, "project", "seed a project: name or name:public (repeatable)")
	fs.Var(&o.users, "user", "seed a user: name:password or name:password:admin, split at the first ':' (repeatable)")
	fs.Var(&o.robots, "robot", "create a system robot with every system and project permission: name (repeatable); its secret is printed")
	fs.Var(&o.artifacts, "artifacts", "seed artifacts: project/repository:count, the project created if needed (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: harbortest [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.projects < 0 {
		return nil, fmt.Errorf("-projects must not be negative, got %d", o.projects)
	}
	if o.tls && o.caFile == "" {
		return nil, errors.New("-ca-file must name a file with -tls")
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "harbortest:", err)
		return 2
	}
	hopts := []harbortest.Option{harbortest.WithAddress(o.addr), harbortest.WithAdminPassword(o.adminPassword),
		harbortest.WithRobotNamePrefix(o.robotPrefix),
		harbortest.WithRequestLogLimit(0)} // nothing reads the log here: memory stays flat however long it runs
	if o.tls {
		hopts = append(hopts, harbortest.WithTLS())
	}
	srv, err := harbortest.Start(hopts...)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer srv.Close()
	secrets, err := seed(srv, o)
	if err != nil {
		fmt.Fprintln(stderr, "harbortest:", err)
		return 2
	}
	fmt.Fprintf(stdout, "harbortest: Harbor v2.15.2 API (in memory) at %s/api/v2.0\n", srv.URL)
	fmt.Fprintf(stdout, "admin credentials: %s / %s\n", srv.AdminUsername, srv.AdminPassword)
	if o.tls {
		if err := os.WriteFile(o.caFile, srv.CertPEM(), 0o644); err != nil {
			fmt.Fprintln(stderr, "harbortest: writing the CA certificate:", err)
			return 1
		}
		fmt.Fprintf(stdout, "CA certificate: %s\n", o.caFile)
	}
	for _, s := range secrets {
		fmt.Fprintf(stdout, "robot: %s / %s\n", s[0], s[1])
	}
	fmt.Fprintln(stdout, "ready; Ctrl-C or SIGTERM stops it")
	<-ctx.Done()
	fmt.Fprintln(stdout, "harbortest: shutting down")
	return 0
}

// seed applies the seeding flags; it returns the robots' names and secrets.
func seed(srv *harbortest.Server, o *options) (robots [][2]string, err error) {
	defer func() {
		// the seed helpers panic on arguments Harbor would refuse
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	srv.AddProjects(o.projects)
	for _, p := range o.projectNames {
		name, vis, _ := strings.Cut(p, ":")
		if vis != "" && vis != "public" && vis != "private" {
			return nil, fmt.Errorf("-project %q: visibility must be public or private", p)
		}
		srv.AddProject(name, vis == "public")
	}
	for _, u := range o.users {
		// The password is all after the first ':' (it may hold ':'), but
		// for a final ":admin".
		name, pass, _ := strings.Cut(u, ":")
		pass, admin := strings.CutSuffix(pass, ":admin")
		if name == "" || pass == "" {
			return nil, fmt.Errorf("-user %q: want name:password or name:password:admin (the password may hold ':')", u)
		}
		srv.AddUser(name, pass, admin)
	}
	for _, a := range o.artifacts {
		repo, count, ok := strings.Cut(a, ":")
		n, cerr := strconv.Atoi(count)
		project, name, ok2 := strings.Cut(repo, "/")
		if !ok || !ok2 || cerr != nil || n < 1 {
			return nil, fmt.Errorf("-artifacts %q: want project/repository:count with count >= 1", a)
		}
		if !hasProject(srv, project) {
			srv.AddProject(project, false)
		}
		for i := range n {
			srv.AddArtifact(project, name, fmt.Sprintf("sha256:%064x", len(a)*1000+i+1))
		}
	}
	for _, name := range o.robots {
		secret, err := createRobot(srv, name)
		if err != nil {
			return nil, fmt.Errorf("-robot %q: %w", name, err)
		}
		robots = append(robots, [2]string{o.robotPrefix + name, secret})
	}
	return robots, nil
}

func hasProject(srv *harbortest.Server, name string) bool {
	for _, p := range srv.Projects() {
		if p.Name == name {
			return true
		}
	}
	return false
}

// createRobot creates a system robot through the API, as a client would.
func createRobot(srv *harbortest.Server, name string) (string, error) {
	body := `{"name":` + strconv.Quote(name) + `,"level":"system","duration":-1,"permissions":[` +
		`{"kind":"system","namespace":"/","access":[{"resource":"project","action":"create"},{"resource":"project","action":"list"},` +
		`{"resource":"robot","action":"create"},{"resource":"robot","action":"list"},{"resource":"robot","action":"read"},{"resource":"robot","action":"delete"},` +
		`{"resource":"user","action":"list"},{"resource":"audit-log","action":"list"}]},` +
		`{"kind":"project","namespace":"*","access":[{"resource":"repository","action":"pull"},{"resource":"repository","action":"push"},` +
		`{"resource":"repository","action":"list"},{"resource":"artifact","action":"read"},{"resource":"artifact","action":"list"},{"resource":"tag","action":"list"}]}]}`
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/v2.0/robots", strings.NewReader(body))
	if err != nil {
		return "", err
	}
	req.SetBasicAuth(srv.AdminUsername, srv.AdminPassword)
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	var out struct {
		Secret string `json:"secret"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return "", err
	}
	return out.Secret, nil
}
