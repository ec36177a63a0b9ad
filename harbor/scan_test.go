package harbor_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/scan"
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// steppingClock advances by step each time the server reads it, so a scan
// planned to take d finishes after about d/step requests, whatever the
// wall clock does.
type steppingClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func (c *steppingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(c.step)
	return c.now
}

func newScanServer(t *testing.T) (*harbortest.Server, *harbor.Client) {
	clock := &steppingClock{now: time.Date(2026, 11, 30, 4, 0, 0, 0, time.UTC), step: time.Second}
	srv, admin := newServer(t, harbortest.WithClock(clock.Now))
	srv.AddProject("p", false)
	srv.AddImage("p", "team/app", "1.0")
	return srv, admin
}

var fastPolling = harbor.ScanPolling(time.Millisecond, 2*time.Millisecond)

func TestScanAndWaitSucceeds(t *testing.T) {
	srv, admin := newScanServer(t)
	srv.PlanScan("p", "team/app", "1.0", harbortest.SampleVulnerabilities(), 20*time.Second)
	srv.ResetRequests()
	rep, err := admin.ScanAndWait(t.Context(), "p", "team/app", "1.0", harbor.ReportGeneric, fastPolling)
	require.NoError(t, err)
	assert.Len(t, rep.Vulnerabilities, 6)
	assert.Equal(t, harbor.ReportGeneric, rep.Type)
	// POST, several looks at the overview (the scan took several), one report.
	reqs := srv.Requests()
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Greater(t, len(reqs), 3)
	assert.Contains(t, reqs[len(reqs)-1].Path, "/additions/vulnerabilities")

	rep, err = admin.ScanAndWait(t.Context(), "p", "team/app", "1.0", harbor.ReportNative, fastPolling)
	require.NoError(t, err)
	assert.Equal(t, harbor.ReportNative, rep.Type)
}

func TestScanAndWaitFailed(t *testing.T) {
	srv, admin := newScanServer(t)
	srv.PlanScanFailure("p", "team/app", "1.0", 5*time.Second)
	_, err := admin.ScanAndWait(t.Context(), "p", "team/app", "1.0", harbor.ReportGeneric, fastPolling)
	require.ErrorIs(t, err, harbor.ErrScanFailed)
	assert.ErrorContains(t, err, "p/team/app:1.0: scan failed")
	assert.False(t, errors.Is(err, harbor.ErrScanTimeout))
}

func TestScanAndWaitTimesOut(t *testing.T) {
	srv, admin := newScanServer(t)
	srv.PlanScan("p", "team/app", "1.0", nil, 1000*time.Hour)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := admin.ScanAndWait(ctx, "p", "team/app", "1.0", harbor.ReportGeneric, fastPolling)
	require.ErrorIs(t, err, harbor.ErrScanTimeout)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	// A loaded machine may let the 50ms pass while the scan is being started.
	assert.Regexp(t, `waiting for the scan of p/team/app:1.0 \(last status (Pending|Running|unknown)\)|starting the scan of p/team/app:1.0`, err.Error())
}

func TestWaitForScanStoppedAndNeverScanned(t *testing.T) {
	srv, admin := newScanServer(t)
	_, err := admin.WaitForScan(t.Context(), "p", "team/app", "1.0", harbor.ReportGeneric, fastPolling)
	require.ErrorIs(t, err, harbor.ErrNotScanned)

	srv.PlanScan("p", "team/app", "1.0", nil, 1000*time.Hour)
	require.NoError(t, admin.ScanArtifact(t.Context(), "p", "team/app", "1.0"))
	err = admin.ScanArtifact(t.Context(), "p", "team/app", "1.0")
	require.ErrorIs(t, err, harbor.ErrConflict) // Harbor's 409 while a scan runs
	stopped := make(chan error, 1)
	go func() {
		_, err := admin.WaitForScan(t.Context(), "p", "team/app", "1.0", harbor.ReportGeneric, fastPolling)
		stopped <- err
	}()
	_, err = admin.API().Scan.StopScanArtifact(t.Context(), stopParams("p", "team/app", "1.0"))
	require.NoError(t, err)
	err = <-stopped
	require.ErrorIs(t, err, harbor.ErrScanStopped)
	assert.ErrorContains(t, err, "p/team/app:1.0: scan stopped")
	assert.NotErrorIs(t, err, harbor.ErrScanFailed)
	assert.NotErrorIs(t, err, harbor.ErrScanTimeout)
}

func TestScanArtifactRefusals(t *testing.T) {
	_, admin := newScanServer(t)
	err := admin.ScanArtifact(t.Context(), "p", "team/app", "9.9")
	require.ErrorIs(t, err, harbor.ErrNotFound) // Harbor's 404 for the reference (v023)
	require.ErrorContains(t, admin.ScanArtifact(t.Context(), "", "team/app", "1.0"), "empty project name")
}

func stopParams(projectName, repo, ref string) *scan.StopScanArtifactParams {
	return scan.NewStopScanArtifactParams().WithProjectName(projectName).
		WithRepositoryName(harbor.EscapeRepositoryName(repo)).WithReference(ref).
		WithScanType(&models.ScanType{ScanType: "vulnerability"})
}

// Bad ScanOptions are refused before any request, naming the option and
// its values; nil ones are skipped.
func TestScanOptionsRefused(t *testing.T) {
	cases := []struct {
		name string
		opt  harbor.ScanOption
		want string
	}{
		{"zero first", harbor.ScanPolling(0, time.Second), "ScanPolling(0s, 1s): both waits must be positive"},
		{"negative max", harbor.ScanPolling(time.Second, -time.Second), "ScanPolling(1s, -1s): both waits must be positive"},
		{"inverted", harbor.ScanPolling(10*time.Second, time.Second), "ScanPolling(10s, 1s): max is below first"},
	}
	srv, admin := newScanServer(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv.ResetRequests()
			_, err := admin.ScanAndWait(t.Context(), "p", "team/app", "1.0", harbor.ReportGeneric, nil, tc.opt)
			assert.ErrorContains(t, err, "harbor: ScanAndWait: "+tc.want)
			_, err = admin.WaitForScan(t.Context(), "p", "team/app", "1.0", harbor.ReportGeneric, tc.opt, nil)
			assert.ErrorContains(t, err, "harbor: WaitForScan: "+tc.want)
			assert.Empty(t, srv.Requests())
		})
	}
	// The report type is an argument of every call that returns a report,
	// checked the same way.
	_, err := admin.VulnerabilityReport(t.Context(), "p", "team/app", "1.0", "text/plain")
	assert.ErrorContains(t, err, `harbor: VulnerabilityReport: report type "text/plain": unknown report type`)
	_, err = admin.ScanAndWait(t.Context(), "p", "team/app", "1.0", "text/plain")
	assert.ErrorContains(t, err, `harbor: ScanAndWait: report type "text/plain": unknown report type`)
	_, err = admin.WaitForScan(t.Context(), "p", "team/app", "1.0", "text/plain")
	assert.ErrorContains(t, err, `harbor: WaitForScan: report type "text/plain": unknown report type`)
	assert.Empty(t, srv.Requests())
}

// A context that ends before the scan could even be asked for is a
// timeout too, saying so.
func TestScanAndWaitContextEndedBeforeTheScan(t *testing.T) {
	_, admin := newScanServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := admin.ScanAndWait(ctx, "p", "team/app", "1.0", harbor.ReportGeneric, fastPolling)
	require.ErrorIs(t, err, harbor.ErrScanTimeout)
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, "starting the scan of p/team/app:1.0")
}
