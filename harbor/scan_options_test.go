package harbor_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbor"
)

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
		{"empty report type", harbor.ScanReport(""), `ScanReport(""): the report type is empty`},
		{"unknown report type", harbor.ScanReport("text/plain"), `ScanReport("text/plain"): unknown report type`},
	}
	srv, admin := newScanServer(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv.ResetRequests()
			_, err := admin.ScanAndWait(t.Context(), "p", "team/app", "1.0", nil, tc.opt)
			assert.ErrorContains(t, err, "harbor: ScanAndWait: "+tc.want)
			_, err = admin.WaitForScan(t.Context(), "p", "team/app", "1.0", tc.opt, nil)
			assert.ErrorContains(t, err, "harbor: WaitForScan: "+tc.want)
			assert.Empty(t, srv.Requests())
		})
	}
	_, err := admin.VulnerabilityReport(t.Context(), "p", "team/app", "1.0", "text/plain")
	assert.ErrorContains(t, err, `harbor: VulnerabilityReport: report type "text/plain": unknown report type`)
	assert.Empty(t, srv.Requests())
}

// A context that ends before the scan could even be asked for is a
// timeout too, saying so.
func TestScanAndWaitContextEndedBeforeTheScan(t *testing.T) {
	_, admin := newScanServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := admin.ScanAndWait(ctx, "p", "team/app", "1.0", fastPolling)
	require.ErrorIs(t, err, harbor.ErrScanTimeout)
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, "starting the scan of p/team/app:1.0")
}
