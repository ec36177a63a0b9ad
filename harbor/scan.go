package harbor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/harborkit/harbor-sdk-go/gen/client/scan"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// ErrScanTimeout matches the error of WaitForScan and ScanAndWait when ctx
// ended before the scan finished; the error also matches ctx's error.
var ErrScanTimeout = errors.New("harbor: scan did not finish in time")

// ScanOption tunes ScanAndWait and WaitForScan. A nil one is skipped; a bad
// value is an error naming it, before any request.
type ScanOption func(*scanConfig) error

type scanConfig struct {
	first, max time.Duration
	typ        ReportType
}

// ScanPolling sets the wait between two looks at the scan status: first
// after the first look, doubling up to max. Defaults: 1s and 15s. Both
// must be positive and max at least first; otherwise it is an error.
func ScanPolling(first, max time.Duration) ScanOption {
	return func(c *scanConfig) error {
		switch {
		case first <= 0 || max <= 0:
			return fmt.Errorf("ScanPolling(%v, %v): both waits must be positive", first, max)
		case max < first:
			return fmt.Errorf("ScanPolling(%v, %v): max is below first", first, max)
		}
		c.first, c.max = first, max
		return nil
	}
}

// newScanConfig checks typ ("" is ReportGeneric) and applies opts,
// skipping nil ones; the error names method and what is bad.
func newScanConfig(method string, typ ReportType, opts []ScanOption) (scanConfig, error) {
	typ = cmp.Or(typ, ReportGeneric)
	cfg := scanConfig{first: time.Second, max: 15 * time.Second, typ: typ}
	if why := checkReportType(typ); why != "" {
		return cfg, fmt.Errorf("harbor: %s: report type %q: %s", method, typ, why)
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return cfg, fmt.Errorf("harbor: %s: %w", method, err)
		}
	}
	return cfg, nil
}

// ScanArtifact asks Harbor to scan the artifact at reference (tag or
// digest) in projectName/repositoryName for vulnerabilities, in the
// background; a scan already running is an *Error matching ErrConflict.
//
// Needs scan:create.
func (c *Client) ScanArtifact(ctx context.Context, projectName, repositoryName, reference string) (err error) {
	defer inVoice("ScanArtifact", &err)
	if err := checkContext(ctx, "ScanArtifact"); err != nil {
		return err
	}
	if err := checkArtifactPath(projectName, repositoryName, reference); err != nil {
		return err
	}
	params := scan.NewScanArtifactParams().WithProjectName(projectName).
		WithRepositoryName(EscapeRepositoryName(repositoryName)).WithReference(reference).
		WithScanType(&models.ScanType{ScanType: "vulnerability"})
	_, err = c.API().Scan.ScanArtifact(ctx, params)
	return err
}

// ScanAndWait is ScanArtifact then WaitForScan: it returns the report of
// type typ ("" is ReportGeneric; a bad one is an error before any request).
// A scan already running (Harbor's 409) is waited for too (see the example).
//
// Needs scan:create, artifact:read and artifact-addition:read (harbor.CIAccess has them).
func (c *Client) ScanAndWait(ctx context.Context, projectName, repositoryName, reference string, typ ReportType, opts ...ScanOption) (_ *VulnerabilityReport, err error) {
	defer inVoice("ScanAndWait", &err)
	if err := checkContext(ctx, "ScanAndWait"); err != nil {
		return nil, err
	}
	if _, err := newScanConfig("ScanAndWait", typ, opts); err != nil {
		return nil, err
	}
	err = c.ScanArtifact(ctx, projectName, repositoryName, reference)
	if he, ok := err.(*helperError); ok {
		err = he.err // ScanAndWait's voice, below
	}
	switch {
	case err == nil, errors.Is(err, ErrConflict): // 409: a scan is already running; wait for it
	case ctx.Err() != nil:
		// err too: a POST cut short may have started the scan (ErrOutcomeUnknown).
		if !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w (%w)", ctx.Err(), err)
		}
		return nil, fmt.Errorf("starting the scan of %s: %w: %w", artifactRef(projectName, repositoryName, reference), ErrScanTimeout, err)
	default:
		return nil, err
	}
	return c.WaitForScan(ctx, projectName, repositoryName, reference, typ, opts...)
}

// WaitForScan polls the artifact's scan_overview (see ScanPolling) until
// the scan has finished, then returns its report of type typ ("" is
// ReportGeneric). Otherwise the error is a *ScanError matching
// ErrScanFailed or ErrScanStopped (ErrNotScanned when no scan was ever
// started), Harbor's refusal (*Error), or, when ctx ends first, an error
// matching ErrScanTimeout and ctx's error.
//
// A rescan starting before the report's fetch is waited for too. Harbor's
// 5xx and 429 do not end the wait: it looks again (after at least the
// Retry-After) until ctx ends, whose error then wraps the last one; a
// Retry-After beyond ctx's deadline ends it at once with ErrScanTimeout.
//
// Needs artifact:read and artifact-addition:read.
func (c *Client) WaitForScan(ctx context.Context, projectName, repositoryName, reference string, typ ReportType, opts ...ScanOption) (_ *VulnerabilityReport, err error) {
	defer inVoice("WaitForScan", &err)
	if err := checkContext(ctx, "WaitForScan"); err != nil {
		return nil, err
	}
	if err := checkArtifactPath(projectName, repositoryName, reference); err != nil {
		return nil, err
	}
	cfg, err := newScanConfig("WaitForScan", typ, opts)
	if err != nil {
		return nil, err
	}
	ref := artifactRef(projectName, repositoryName, reference)
	wait, last := cfg.first, "unknown"
	var failed error // the last of Harbor's 5xx and 429 answers
	timeout := func(cause error) error {
		if failed != nil {
			return fmt.Errorf("waiting for the scan of %s (last status %s; last failure: %w): %w: %w", ref, last, failed, ErrScanTimeout, cause)
		}
		return fmt.Errorf("waiting for the scan of %s (last status %s): %w: %w", ref, last, ErrScanTimeout, cause)
	}
	for {
		status, err := c.scanStatus(ctx, projectName, repositoryName, reference, cfg.typ)
		if err == nil {
			last = status
			switch status {
			case ScanStatusSuccess:
				// ErrNotScanned: a rescan started since the look; look again.
				if rep, ferr := c.fetchReport(ctx, projectName, repositoryName, reference, cfg.typ); !errors.Is(ferr, ErrNotScanned) {
					if !pollAgain(ferr) {
						return rep, ferr
					}
					err = ferr
				}
			case "", ScanStatusError, ScanStatusStopped:
				return nil, &ScanError{Artifact: ref, Type: cfg.typ, Status: status}
			}
		}
		switch {
		case ctx.Err() != nil:
			return nil, timeout(ctx.Err())
		case pollAgain(err):
			failed = err
		case err != nil:
			return nil, err
		}
		next := wait
		if he, ok := AsError(err); ok {
			if ra, ok := retryAfter(he.RetryAfter, time.Now()); ok {
				if dl, ok := ctx.Deadline(); ok && time.Until(dl) < ra {
					failed = fmt.Errorf("%w (its Retry-After is beyond the deadline)", err)
					return nil, timeout(context.DeadlineExceeded)
				}
				next = max(next, ra)
			}
		}
		select {
		case <-ctx.Done():
			return nil, timeout(ctx.Err())
		case <-time.After(next): // collected once unreferenced (Go 1.23)
		}
		wait = min(wait*2, cfg.max)
	}
}

// pollAgain reports whether a look failed with Harbor's 5xx or 429 (retries
// have covered cut connections).
func pollAgain(err error) bool {
	s := statusOf(err)
	return s == http.StatusTooManyRequests || s >= 500
}
