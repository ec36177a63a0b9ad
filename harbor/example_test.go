package harbor_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/harborkit/harbor-sdk-go/credentials"
	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/user"
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// The examples run against harbortest, an in-memory Harbor; with a real one,
// pass its URL (e.g. "https://harbor.example.com") and real credentials.

func ExampleNewClient() {
	srv := harbortest.NewServer()
	defer srv.Close()

	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "Harbor12345"))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	// Every generated operation is reachable through API().
	res, err := c.API().Project.GetProject(ctx, project.NewGetProjectParams().WithProjectNameOrID("library"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Payload.Name, res.Payload.Metadata.Public)
	// Output:
	// library true
}

// Every call answered outside 2xx returns a *harbor.Error: errors.Is and
// errors.As work on the error exactly as returned, and reach the generated
// typed error too. AsError is errors.As with less typing.
func ExampleError() {
	srv := harbortest.NewServer()
	defer srv.Close()
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "Harbor12345"))
	if err != nil {
		fmt.Println(err)
		return
	}

	_, err = c.API().Project.DeleteProject(context.Background(),
		project.NewDeleteProjectParams().WithProjectNameOrID("no-such-project"))

	fmt.Println(errors.Is(err, harbor.ErrNotFound))
	var he *harbor.Error
	if errors.As(err, &he) {
		fmt.Println(he.StatusCode, he.Method, he.Path)
	}
	var nf *project.DeleteProjectNotFound
	fmt.Println(errors.As(err, &nf))
	// Output:
	// true
	// 404 DELETE /api/v2.0/projects/no-such-project
	// true
}

// AsError is errors.As for *harbor.Error with less typing.
func ExampleAsError() {
	srv := harbortest.NewServer()
	defer srv.Close()
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "Harbor12345"))
	if err != nil {
		fmt.Println(err)
		return
	}

	_, err = c.API().Project.GetProject(context.Background(),
		project.NewGetProjectParams().WithProjectNameOrID("no-such-project"))

	if he, ok := harbor.AsError(err); ok {
		fmt.Println(he.StatusCode, errors.Is(err, harbor.ErrNotFound), he.Message())
		fmt.Println(he.Method, he.Path)
	}
	// Output:
	// 404 true project no-such-project not found
	// GET /api/v2.0/projects/no-such-project
}

// All turns any paginated operation into an iterator; it follows Harbor's
// Link header page by page.
func ExampleAll() {
	srv := harbortest.NewServer()
	defer srv.Close()
	srv.AddProjects(24) // private projects "project-00001" ... "project-00024", plus "library"
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "Harbor12345"))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	n := 0
	for p, err := range harbor.All(ctx, c.API().Project.ListProjects, project.NewListProjectsParams(), harbor.PageSize(10)) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if n < 2 {
			fmt.Println(p.Name)
		}
		n++
	}
	pages := 0
	for _, r := range srv.Requests() {
		if r.Path == "/api/v2.0/projects" {
			pages++
		}
	}
	fmt.Println(n, "projects in", pages, "requests")

	// Filters are the operation's own parameters; Limit stops early.
	public := true
	for p, err := range harbor.All(ctx, c.API().Project.ListProjects,
		project.NewListProjectsParams().WithPublic(&public), harbor.Limit(1)) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("public:", p.Name)
	}
	// Output:
	// library
	// project-00001
	// 25 projects in 3 requests
	// public: library
}

// The privileged robot flow: an administrator creates a system robot with
// permissions the web UI cannot grant (here project:create), and its
// credentials are saved before CreateRobot returns. A client built from the
// file then works as that robot.
func ExampleClient_CreateRobot() {
	srv := harbortest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	admin, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "Harbor12345"))
	if err != nil {
		fmt.Println(err)
		return
	}

	dir, err := os.MkdirTemp("", "robot-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "robot.json")

	rc := harbor.SystemRobot("project-maker", 30, harbor.Allow(harbor.ResourceProject, harbor.ActionCreate))
	rc.Description = "creates projects for CI"
	created, err := admin.CreateRobot(ctx, rc, harbor.SaveCredentials(path), harbor.CheckPermissions())
	if err != nil {
		fmt.Println(err) // nothing is lost: see RobotIncompleteError
		return
	}
	fmt.Println("created", created.Name)

	cred, err := credentials.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("saved", cred.Name, cred.Secret) // the secret prints as [REDACTED]

	bot, err := harbor.NewClient(srv.URL, harbor.WithCredentialsFile(path))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = bot.API().Project.CreateProject(ctx, project.NewCreateProjectParams().
		WithProject(&models.ProjectReq{ProjectName: "made-by-robot"}))
	fmt.Println("create project:", err)

	_, err = bot.API().User.ListUsers(ctx, user.NewListUsersParams())
	he, ok := harbor.AsError(err)
	fmt.Println("list users refused:", ok && errors.Is(he, harbor.ErrForbidden))
	// Output:
	// created robot$project-maker
	// saved robot$project-maker [REDACTED]
	// create project: <nil>
	// list users refused: true
}

// Whoami proves that credentials work: Harbor treats wrong credentials on
// public reads as anonymous instead of refusing them.
func ExampleClient_Whoami() {
	srv := harbortest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	admin, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "Harbor12345"))
	if err != nil {
		fmt.Println(err)
		return
	}
	who, err := admin.Whoami(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(who.Kind, who.Name, who.SysAdmin)

	wrong, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "wrong-password"))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = wrong.API().Project.GetProject(ctx, project.NewGetProjectParams().WithProjectNameOrID("library"))
	fmt.Println("public read with a wrong password:", err)
	_, err = wrong.Whoami(ctx)
	fmt.Println("whoami with a wrong password:", errors.Is(err, harbor.ErrUnauthorized))
	// Output:
	// user admin true
	// public read with a wrong password: <nil>
	// whoami with a wrong password: true
}

// CheckCompatibility compares the server's release with the spec this SDK
// was generated from (harbor.SpecVersion) and says what a difference means.
func ExampleClient_CheckCompatibility() {
	srv := harbortest.NewServer()
	defer srv.Close()
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "Harbor12345"))
	if err != nil {
		fmt.Println(err)
		return
	}

	comp, err := c.CheckCompatibility(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(comp.Relation, comp.OK())
	fmt.Println(comp.Message)
	// Output:
	// same true
	// server v2.15.2 is the release of the spec v2.15.2 this SDK was generated from: every operation and field of the SDK applies
}

// ServerVersion needs credentials: Harbor hides its version from anonymous callers.
func ExampleClient_ServerVersion() {
	srv := harbortest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "Harbor12345"))
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := c.ServerVersion(ctx)
	fmt.Println(v, err)

	anon, err := harbor.NewClient(srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = anon.ServerVersion(ctx)
	fmt.Println(errors.Is(err, harbor.ErrServerVersionUnknown))
	// Output:
	// v2.15.2-080b0220 <nil>
	// true
}

// CompareWithSpec works on a version you already have, e.g. from a
// monitoring system, without a request.
func ExampleCompareWithSpec() {
	comp, err := harbor.CompareWithSpec("v2.14.4-1a2b3c4d")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(comp.Relation)
	// Output:
	// older
}

// exampleRegistry starts an in-memory Harbor with a public project "shop":
// web:1 scanned (the six sample findings), web:2 scanned clean, web:3 never
// scanned.
func exampleRegistry() (*harbortest.Server, *harbor.Client) {
	srv := harbortest.NewServer()
	srv.AddProject("shop", true)
	for _, tag := range []string{"1", "2", "3"} {
		srv.AddImage("shop", "team/web", tag)
	}
	srv.SetReport("shop", "team/web", "1", harbortest.SampleVulnerabilities())
	srv.SetReport("shop", "team/web", "2", nil)
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	if err != nil {
		panic(err)
	}
	return srv, c
}

func ExampleClient_VulnerabilityReport() {
	srv, c := exampleRegistry()
	defer srv.Close()
	ctx := context.Background()

	rep, err := c.VulnerabilityReport(ctx, "shop", "team/web", "1", harbor.ReportGeneric)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("worst:", rep.Worst())
	fmt.Println(rep.Counts())
	for _, v := range rep.Filter(harbor.MinSeverity(harbor.SeverityHigh), harbor.Fixable()) {
		fmt.Println(v.ID, v.Severity, v.Package, v.Version, "->", v.FixVersion)
	}

	_, err = c.VulnerabilityReport(ctx, "shop", "team/web", "3", "")
	fmt.Println(errors.Is(err, harbor.ErrNotScanned), errors.Is(err, harbor.ErrNotFound))
	// Output:
	// worst: Critical
	// Critical 1, High 1, Medium 1, Low 1, None 1, Unknown 1
	// CVE-2023-4863 Critical libwebp7 1.2.4-0.2 -> 1.2.4-0.2+deb12u1
	// CVE-2023-38545 High libcurl4 7.88.1-10 -> 7.88.1-10+deb12u4
	// true true
}

func ExampleClient_WalkArtifacts() {
	srv, c := exampleRegistry()
	defer srv.Close()
	ctx := context.Background()

	// The listing's scan overview gives each artifact's scan state and
	// counts: no request per artifact (WalkReports fetches full reports).
	for a, err := range c.WalkArtifacts(ctx, &harbor.WalkOptions{Projects: []string{"shop"}}) {
		switch {
		case err != nil:
			fmt.Println(err) // one repository's; the walk goes on
		case a.Scan.Status == "":
			fmt.Println(a.Repository, a.Tags(), "not scanned") // a state, not an error
		default:
			fmt.Println(a.Repository, a.Tags(), a.Scan.Status, "critical:", a.Scan.Counts[harbor.SeverityCritical])
		}
	}
	// Output:
	// team/web [3] not scanned
	// team/web [2] Success critical: 0
	// team/web [1] Success critical: 1
}

func ExampleClient_ScanAndWait() {
	srv, c := exampleRegistry()
	defer srv.Close()
	// The in-memory Harbor's next scan of web:3 finds one finding.
	srv.PlanScan("shop", "team/web", "3", harbortest.SampleVulnerabilities()[1:2], 0)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := c.ScanAndWait(ctx, "shop", "team/web", "3", harbor.ReportGeneric)
	switch {
	case errors.Is(err, harbor.ErrScanFailed), errors.Is(err, harbor.ErrScanStopped):
		fmt.Println("no report:", err)
	case errors.Is(err, harbor.ErrScanTimeout):
		fmt.Println("still scanning:", err)
	case err != nil:
		fmt.Println(err)
	default:
		fmt.Println(rep.Scanner.Name, len(rep.Vulnerabilities), rep.Worst())
	}
	// Output:
	// FakeScan 1 High
}

// NewClientFromEnv reads the HARBOR_* variables (see EnvURL); options passed
// to it win over the environment.
func ExampleNewClientFromEnv() {
	srv := harbortest.NewServer()
	defer srv.Close()
	// In a program these come from the environment it runs in.
	for k, v := range map[string]string{harbor.EnvURL: srv.URL, harbor.EnvUsername: "admin", harbor.EnvPassword: "Harbor12345"} {
		if err := os.Setenv(k, v); err != nil {
			fmt.Println(err)
			return
		}
		defer os.Unsetenv(k)
	}

	c, err := harbor.NewClientFromEnv(harbor.WithTimeout(30 * time.Second))
	if err != nil {
		fmt.Println(err) // names the variable at fault, e.g. HARBOR_URL is not set
		return
	}
	who, err := c.Whoami(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(who.Kind, who.Name)
	// Output:
	// user admin
}

// exampleRobot creates the system robot "ci" with the administrator client c
// and saves its credentials file in a new temporary directory, which the
// caller removes.
func exampleRobot(ctx context.Context, c *harbor.Client) (dir, path string, err error) {
	dir, err = os.MkdirTemp("", "robot-example")
	if err != nil {
		return "", "", err
	}
	path = filepath.Join(dir, "robot.json")
	rc := harbor.SystemRobot("ci", 30, harbor.Allow(harbor.ResourceProject, harbor.ActionCreate))
	if _, err := c.CreateRobot(ctx, rc, harbor.SaveCredentials(path)); err != nil {
		return dir, "", err
	}
	return dir, path, nil
}

// With makes a second client with the same settings (TLS, timeouts,
// retries, logging) that authenticates otherwise, here as a robot.
func ExampleClient_With() {
	srv := harbortest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	admin, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "Harbor12345"), harbor.WithTimeout(30*time.Second))
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, path, err := exampleRobot(ctx, admin)
	defer os.RemoveAll(dir)
	if err != nil {
		fmt.Println(err)
		return
	}

	bot, err := admin.With(harbor.WithCredentialsFile(path))
	if err != nil {
		fmt.Println(err)
		return
	}
	who, err := bot.Whoami(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(who.Kind, who.Name)
	// Output:
	// robot robot$ci
}

// FindRobot takes the short or the full name; a robot Harbor does not list
// is ErrNotFound.
func ExampleClient_FindRobot() {
	srv := harbortest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	admin, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "Harbor12345"))
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _, err := exampleRobot(ctx, admin)
	defer os.RemoveAll(dir)
	if err != nil {
		fmt.Println(err)
		return
	}

	r, err := admin.FindRobot(ctx, "ci")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Name, r.Level)
	_, err = admin.FindRobot(ctx, "robot$nobody")
	fmt.Println(errors.Is(err, harbor.ErrNotFound))
	// Output:
	// robot$ci system
	// true
}

// RefreshRobotSecret sets a chosen secret (or lets Harbor generate one when
// it is ""); the old secret stops working.
func ExampleClient_RefreshRobotSecret() {
	srv := harbortest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	admin, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "Harbor12345"))
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _, err := exampleRobot(ctx, admin)
	defer os.RemoveAll(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := admin.FindRobot(ctx, "ci")
	if err != nil {
		fmt.Println(err)
		return
	}

	secret, err := admin.RefreshRobotSecret(ctx, r.ID, "Chosen-S3cret-2026")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("new secret:", secret) // prints [REDACTED]; secret.Reveal() is the text
	bot, err := admin.With(harbor.WithBasicAuth(r.Name, secret.Reveal()))
	if err != nil {
		fmt.Println(err)
		return
	}
	who, err := bot.Whoami(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(who.Name)
	// Output:
	// new secret: [REDACTED]
	// robot$ci
}

// RotateCredentialsFile gives the robot of a credentials file a new secret
// and rewrites the file, so a client built from the file keeps working.
func ExampleClient_RotateCredentialsFile() {
	srv := harbortest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	admin, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "Harbor12345"))
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, path, err := exampleRobot(ctx, admin)
	defer os.RemoveAll(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	before, err := credentials.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}

	if _, err := admin.RotateCredentialsFile(ctx, path, ""); err != nil {
		fmt.Println(err)
		return
	}
	after, err := credentials.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("secret changed:", after.Secret != before.Secret)
	bot, err := harbor.NewClient(srv.URL, harbor.WithCredentialsFile(path))
	if err != nil {
		fmt.Println(err)
		return
	}
	who, err := bot.Whoami(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(who.Name)
	// Output:
	// secret changed: true
	// robot$ci
}
