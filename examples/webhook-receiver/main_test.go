package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/scan"
	"github.com/harborkit/harbor-sdk-go/gen/client/webhook"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
	hook "github.com/harborkit/harbor-sdk-go/webhook"
)

func TestDemonstration(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, demo(t.Context(), &out))
	text := out.String()
	assert.Contains(t, text, "demo/team/app:1.0: 1 fixable Critical finding(s)")
	assert.Contains(t, text, "CVE-2023-4863 libwebp7 1.2.4-0.2, fixed in 1.2.4-0.2+deb12u1")
	assert.NotContains(t, text, "CVE-2023-38545", "a High finding is not reported")
}

// setup is harbortest with demo/team/app:1.0 planned to scan with vulns,
// and the receiver with its policy.
func setup(t *testing.T, vulns []harbortest.Vulnerability) (*harbortest.Server, *harbor.Client, *reporter, *bytes.Buffer) {
	t.Helper()
	srv := harbortest.New(t)
	srv.AddProject("demo", false)
	srv.AddImage("demo", "team/app", "1.0")
	srv.PlanScan("demo", "team/app", "1.0", vulns, 0)
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	require.NoError(t, err)
	var out bytes.Buffer
	rp, url, auth, stop, err := startReceiver(c, &out)
	require.NoError(t, err)
	t.Cleanup(stop)
	require.NoError(t, addPolicy(t.Context(), c, "demo", url, auth))
	return srv, c, rp, &out
}

func scanAndWait(t *testing.T, srv *harbortest.Server, c *harbor.Client, rp *reporter) {
	t.Helper()
	_, err := c.API().Scan.ScanArtifact(t.Context(), scan.NewScanArtifactParams().
		WithProjectName("demo").WithRepositoryName(harbor.EscapeRepositoryName("team/app")).WithReference("1.0"))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // hang guard
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
	select {
	case name := <-rp.seen:
		assert.Equal(t, "demo/team/app:1.0", name)
	default:
		t.Fatal("nothing reported")
	}
}

// A report that cannot be read fails the delivery; Harbor (here harbortest)
// sends it again and the second attempt reports it, once.
func TestReportReadFailureIsRetried(t *testing.T) {
	srv, c, rp, out := setup(t, harbortest.SampleVulnerabilities())
	srv.FailNext(1, http.StatusInternalServerError, harbortest.OnMethod("GET"), harbortest.OnPath("/api/v2.0/projects/demo/repositories/team%2Fapp/artifacts/"))
	scanAndWait(t, srv, c, rp)
	assert.Equal(t, 1, strings.Count(out.String(), "fixable Critical finding(s)"), out.String())

	execs, err := c.API().Webhook.ListExecutionsOfWebhookPolicy(t.Context(), webhook.NewListExecutionsOfWebhookPolicyParams().
		WithProjectNameOrID("demo").WithWebhookPolicyID(1))
	require.NoError(t, err)
	require.Len(t, execs.Payload, 1)
	assert.Equal(t, "Success", execs.Payload[0].Status)
	assert.Equal(t, "SCANNING_COMPLETED", execs.Payload[0].ExtraAttrs["event_type"])
	tasks, err := c.API().Webhook.ListTasksOfWebhookExecution(t.Context(), webhook.NewListTasksOfWebhookExecutionParams().
		WithProjectNameOrID("demo").WithWebhookPolicyID(1).WithExecutionID(execs.Payload[0].ID))
	require.NoError(t, err)
	require.Len(t, tasks.Payload, 1)
	assert.EqualValues(t, 2, tasks.Payload[0].RunCount, "the first attempt was answered 500")
}

// The event's counts say when nothing is Critical: no report is read.
func TestCleanScanReadsNoReport(t *testing.T) {
	srv, c, rp, out := setup(t, harbortest.SampleVulnerabilities()[1:])
	scanAndWait(t, srv, c, rp)
	assert.Contains(t, out.String(), "demo/team/app:1.0: scanned, no Critical findings")
	for _, r := range srv.Requests() {
		assert.NotContains(t, r.Path, "/additions/vulnerabilities")
	}
}

// A redelivery (same Event.Key) is not reported twice.
func TestRedeliveryReportedOnce(t *testing.T) {
	srv, c, _, out := setup(t, harbortest.SampleVulnerabilities())
	_, err := c.API().Scan.ScanArtifact(t.Context(), scan.NewScanArtifactParams().
		WithProjectName("demo").WithRepositoryName(harbor.EscapeRepositoryName("team/app")).WithReference("1.0"))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
	// The delivery harbortest sent, as its execution recorded it.
	execs, err := c.API().Webhook.ListExecutionsOfWebhookPolicy(t.Context(), webhook.NewListExecutionsOfWebhookPolicyParams().
		WithProjectNameOrID("demo").WithWebhookPolicyID(1))
	require.NoError(t, err)
	ev, err := hook.Decode([]byte(execs.Payload[0].ExtraAttrs["payload"].(string)))
	require.NoError(t, err)
	var again bytes.Buffer
	rp := newReporter(c, &again)
	require.NoError(t, rp.handle(t.Context(), ev))
	require.NoError(t, rp.handle(t.Context(), ev))
	assert.Equal(t, 1, strings.Count(again.String(), "fixable Critical finding(s)"), again.String())
	assert.Equal(t, 1, strings.Count(out.String(), "fixable Critical finding(s)"), out.String())
}

// harborEnv points the environment at harbortest, as at a real Harbor,
// with auth as HARBOR_WEBHOOK_AUTH.
func harborEnv(t *testing.T, auth string) {
	srv := harbortest.New(t)
	t.Setenv(harbor.EnvURL, srv.URL)
	t.Setenv(harbor.EnvUsername, srv.AdminUsername)
	t.Setenv(harbor.EnvPassword, srv.AdminPassword)
	t.Setenv("HARBOR_WEBHOOK_AUTH", auth)
}

// Against a real Harbor, a missing auth header is refused before listening.
func TestServeRefusesAnEmptyAuthHeader(t *testing.T) {
	harborEnv(t, "")
	var out bytes.Buffer
	err := serve(t.Context(), &out, "127.0.0.1:0")
	require.ErrorContains(t, err, "webhook: NewHandler: empty auth header")
	assert.Empty(t, out.String(), "nothing was served")
}

// Against a real Harbor it serves until the context ends.
func TestServeUntilCanceled(t *testing.T) {
	harborEnv(t, "Bearer x")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out bytes.Buffer
	require.NoError(t, serve(ctx, &out, "127.0.0.1:0"))
	assert.Contains(t, out.String(), "Receiving Harbor webhooks on 127.0.0.1:0")
}
