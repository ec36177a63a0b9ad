package harbor

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scriptedScan answers WaitForScan's two requests from scripts, one entry
// per request: for the artifact, a scan status or an HTTP status ("500",
// "429"); for the report, "{}", "report" or an HTTP status. The last entry
// repeats. seen, when not nil, is called with each overview answer.
func scriptedScan(t *testing.T, overview, reports []string, seen func(string)) *stub {
	var mu sync.Mutex
	next := func(script *[]string) string {
		mu.Lock()
		defer mu.Unlock()
		a := (*script)[0]
		if len(*script) > 1 {
			*script = (*script)[1:]
		}
		return a
	}
	fail := func(w http.ResponseWriter, a string) bool {
		var code int
		if _, err := fmt.Sscanf(a, "%d", &code); err != nil {
			return false
		}
		if code == 429 {
			w.Header().Set("Retry-After", "3600")
		}
		writeJSON(w, code, fmt.Sprintf(`{"errors":[{"code":"X","message":"scripted %d"}]}`, code))
		return true
	}
	return newStub(t, func(w http.ResponseWriter, r *http.Request) {
		typ := string(ReportGeneric)
		if strings.HasSuffix(r.URL.Path, "/additions/vulnerabilities") {
			switch a := next(&reports); {
			case fail(w, a):
			case a == "{}":
				writeJSON(w, 200, "{}")
			default:
				writeJSON(w, 200, fmt.Sprintf(`{%q:{"scanner":{"name":"S"},"severity":"High","vulnerabilities":[{"id":"CVE-1","severity":"High"}]}}`, typ))
			}
			return
		}
		a := next(&overview)
		if seen != nil {
			seen(a)
		}
		if !fail(w, a) {
			writeJSON(w, 200, fmt.Sprintf(`{"digest":"sha256:%064d","scan_overview":{%q:{"scan_status":%q}}}`, 1, typ, a))
		}
	})
}

func waitScripted(t *testing.T, ctx context.Context, overview, reports []string, seen func(string)) (*VulnerabilityReport, error) {
	s := scriptedScan(t, overview, reports, seen)
	c := newStubClient(t, s.URL, WithoutRetry())
	return c.WaitForScan(ctx, "p", "app", "1.0", ReportGeneric, ScanPolling(time.Millisecond, time.Millisecond))
}

// WaitForScan tells the truth (issue 18 item 7): a rescan between the look
// that saw Success and the report's fetch ({}) is waited for, not "never
// scanned"; Harbor's 5xx and 429 while polling do not end the wait.
func TestWaitForScanLooksAgain(t *testing.T) {
	for name, tc := range map[string][2][]string{
		"a rescan starts after the look": {{"Success", "Running", "Success"}, {"{}", "report"}},
		"the rescan is seen at once":     {{"Success", "Success"}, {"{}", "report"}},
		"a 500 while polling":            {{"Running", "500", "503", "Success"}, {"report"}},
		"a 500 fetching the report":      {{"Success"}, {"500", "report"}},
	} {
		t.Run(name, func(t *testing.T) {
			rep, err := waitScripted(t, t.Context(), tc[0], tc[1], nil)
			require.NoError(t, err)
			require.Len(t, rep.Vulnerabilities, 1)
			assert.Equal(t, "CVE-1", rep.Vulnerabilities[0].ID)
		})
	}
}

// A Retry-After beyond the deadline is ErrScanTimeout at once, not the 429;
// failures until the deadline are ErrScanTimeout naming the last one; a
// refusal (404: the artifact is gone) still ends the wait.
func TestWaitForScanFailuresAndTheDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // far shorter than Retry-After: 3600
	defer cancel()
	_, err := waitScripted(t, ctx, []string{"Running", "429"}, []string{"report"}, nil)
	require.ErrorIs(t, err, ErrScanTimeout)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorContains(t, err, "last status Running; last failure: GET /api/v2.0/projects/p/repositories/app/artifacts/1.0: 429")
	assert.ErrorContains(t, err, "Retry-After is beyond the deadline")
	assert.NoError(t, ctx.Err(), "returned before the deadline, without waiting for it")

	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	failures := 0
	_, err = waitScripted(t, ctx, []string{"Pending", "500"}, []string{"report"}, func(a string) {
		if a == "500" {
			if failures++; failures == 5 {
				cancel() // the caller gives up after the fifth failure
			}
		}
	})
	require.ErrorIs(t, err, ErrScanTimeout)
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, "last status Pending; last failure: GET /api/v2.0/projects/p/repositories/app/artifacts/1.0: 500")

	_, err = waitScripted(t, t.Context(), []string{"Running", "404"}, []string{"report"}, nil)
	require.ErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ErrScanTimeout)
}
