// Command webhook-receiver receives Harbor's webhooks and, when a scan
// completes, reports the fixable Critical findings of the scanned artifact.
//
// In Harbor, add a webhook policy to the project: event SCANNING_COMPLETED,
// an http target at this receiver's URL, payload format Default or
// CloudEvents, and an auth header (a long random string, sent verbatim as
// Authorization) that the receiver gets as HARBOR_WEBHOOK_AUTH. The reports
// are read with HARBOR_URL and HARBOR_CREDENTIALS_FILE (a robot with
// artifact:read and artifact-addition:read on the project) or
// HARBOR_USERNAME / HARBOR_PASSWORD:
//
//	HARBOR_URL=https://harbor.example.com HARBOR_CREDENTIALS_FILE=robot.json \
//	  HARBOR_WEBHOOK_AUTH='Bearer 6f1c...' go run ./examples/webhook-receiver -listen :8080
//
// Without HARBOR_URL it runs a demonstration against the SDK's in-memory
// Harbor (package harbortest): it adds the policy pointing at itself, scans a
// sample image with a fixable Critical finding, reports what the delivery
// announced, and exits.
//
// Harbor retries a delivery answered with an error (3 attempts in all,
// with the same bytes), so a report that could not be read is answered 500
// and read again on the next attempt; a delivery already handled is skipped.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/harborkit/harbor-sdk-go/gen/client/scan"
	"github.com/harborkit/harbor-sdk-go/gen/client/webhook"
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
	hook "github.com/harborkit/harbor-sdk-go/webhook"
)

func main() {
	listen := flag.String("listen", ":8080", "address to listen on (with HARBOR_URL)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	if os.Getenv(harbor.EnvURL) == "" {
		err = demo(ctx, os.Stdout)
	} else {
		err = serve(ctx, os.Stdout, *listen)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "webhook-receiver:", err)
		os.Exit(1)
	}
}

// reporter reacts to SCANNING_COMPLETED: it reads the scanned artifact's
// report and prints its fixable Critical findings, once per delivery.
type reporter struct {
	c    *harbor.Client
	mu   sync.Mutex
	out  io.Writer
	done map[string]bool // Event.Key of the deliveries handled (a database table in production)
	seen chan string     // the artifact reported (demonstration and tests)
}

func newReporter(c *harbor.Client, out io.Writer) *reporter {
	return &reporter{c: c, out: out, done: map[string]bool{}, seen: make(chan string, 16)}
}

func (rp *reporter) handle(ctx context.Context, ev *hook.Event) error {
	if ev.Type != hook.ScanningCompleted || ev.Data.Repository == nil {
		return nil
	}
	rp.mu.Lock()
	handled := rp.done[ev.Key]
	rp.mu.Unlock()
	if handled { // Harbor sent it again: the answer to the first attempt was lost
		return nil
	}
	repo := ev.Data.Repository
	for _, r := range ev.Data.Resources {
		name := repo.RepoFullName + "@" + r.Digest
		if r.Tagged() {
			name = repo.RepoFullName + ":" + r.Tag
		}
		// The event carries the counts: no request when nothing is Critical.
		if s, ok := r.ScanOverview[string(harbor.ReportGeneric)]; ok && s.Summary != nil && s.Summary.Summary["Critical"] == 0 {
			rp.say("%s: scanned, no Critical findings", name)
			rp.reported(name)
			continue
		}
		rep, err := rp.c.VulnerabilityReport(ctx, repo.Namespace, repo.Name, r.Digest, harbor.ReportGeneric)
		if err != nil {
			return fmt.Errorf("report of %s: %w", name, err) // answered 500: Harbor retries
		}
		hits := rep.Filter(harbor.MinSeverity(harbor.SeverityCritical), harbor.Fixable())
		rp.say("%s: %d fixable Critical finding(s) (event %s)", name, len(hits), ev.Key)
		for _, v := range hits {
			rp.say("  %s %s %s, fixed in %s", v.ID, v.Package, v.Version, v.FixVersion)
		}
		rp.reported(name)
	}
	rp.mu.Lock()
	rp.done[ev.Key] = true
	rp.mu.Unlock()
	return nil
}

// reported tells the demonstration (or a test) which artifact was reported.
func (rp *reporter) reported(name string) {
	select {
	case rp.seen <- name:
	default: // nobody is waiting
	}
}

func (rp *reporter) say(format string, args ...any) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	fmt.Fprintf(rp.out, format+"\n", args...)
}

// serve receives deliveries on listen until ctx ends.
func serve(ctx context.Context, out io.Writer, listen string) error {
	c, err := harbor.NewClientFromEnv()
	if err != nil {
		return err
	}
	h, err := hook.NewHandler(os.Getenv("HARBOR_WEBHOOK_AUTH"), newReporter(c, out).handle)
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: listen, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	fmt.Fprintf(out, "Receiving Harbor webhooks on %s\n", listen)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// demo runs the receiver against the in-memory Harbor: the policy, a scan,
// the delivery, the report.
func demo(ctx context.Context, out io.Writer) error {
	srv := harbortest.NewServer()
	defer srv.Close()
	srv.AddProject("demo", false)
	srv.AddImage("demo", "team/app", "1.0")
	srv.PlanScan("demo", "team/app", "1.0", harbortest.SampleVulnerabilities(), 200*time.Millisecond)
	fmt.Fprintf(out, "HARBOR_URL is not set: using the in-memory Harbor at %s (sample image demo/team/app:1.0)\n", srv.URL)
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	if err != nil {
		return err
	}
	rp, url, auth, stopReceiver, err := startReceiver(c, out)
	if err != nil {
		return err
	}
	defer stopReceiver()
	if err := addPolicy(ctx, c, "demo", url, auth); err != nil {
		return err
	}
	fmt.Fprintln(out, "Scanning demo/team/app:1.0; Harbor announces the result by webhook ...")
	if _, err := c.API().Scan.ScanArtifact(ctx, scan.NewScanArtifactParams().
		WithProjectName("demo").WithRepositoryName(harbor.EscapeRepositoryName("team/app")).WithReference("1.0")); err != nil {
		return err
	}
	select {
	case <-rp.seen:
		return nil
	case <-time.After(time.Minute):
		return errors.New("no delivery within a minute")
	case <-ctx.Done():
		return ctx.Err()
	}
}

// startReceiver listens on a local port with a random auth header.
func startReceiver(c *harbor.Client, out io.Writer) (rp *reporter, url, auth string, stop func(), err error) {
	secret := make([]byte, 16)
	_, _ = rand.Read(secret)
	auth = "Bearer " + hex.EncodeToString(secret)
	rp = newReporter(c, out)
	h, err := hook.NewHandler(auth, rp.handle)
	if err != nil {
		return nil, "", "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return rp, "http://" + ln.Addr().String() + "/harbor", auth, func() { _ = srv.Close() }, nil
}

// addPolicy adds a CloudEvents policy for SCANNING_COMPLETED to project,
// delivering to addr with the auth header auth.
func addPolicy(ctx context.Context, c *harbor.Client, project, addr, auth string) error {
	_, err := c.API().Webhook.CreateWebhookPolicyOfProject(ctx, webhook.NewCreateWebhookPolicyOfProjectParams().
		WithProjectNameOrID(project).WithPolicy(&models.WebhookPolicy{
		Name: "webhook-receiver", Enabled: true, EventTypes: []string{string(hook.ScanningCompleted)},
		Targets: []*models.WebhookTargetObject{{Type: "http", Address: addr, AuthHeader: auth,
			PayloadFormat: models.PayloadFormatType(hook.CloudEvents)}},
	}))
	return err
}
