package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func demoConfig(image string) config {
	return config{image: image, severity: harbor.SeverityCritical, timeout: time.Minute, poll: time.Millisecond}
}

func TestDemonstrationFailsOnPurpose(t *testing.T) {
	t.Setenv("HARBOR_URL", "")
	var out bytes.Buffer
	err := run(t.Context(), &out, demoConfig(""))
	require.ErrorIs(t, err, errGateFailed)
	text := out.String()
	assert.Contains(t, text, `Created robot "robot$demo+scan-gate"`)
	assert.Contains(t, text, "Scanning demo/team/app:1.0 as robot$demo+scan-gate")
	assert.Regexp(t, `Critical\s+1\s+1`, text)
	assert.Regexp(t, `CVE-2023-4863\s+Critical\s+libwebp7\s+1\.2\.4-0\.2\s+1\.2\.4-0\.2\+deb12u1`, text)
	assert.Contains(t, text, "GATE FAILED (on purpose")
	assert.NotContains(t, text, "CVE-2023-38545", "a High finding is below the default threshold")
}

func TestGateThresholds(t *testing.T) {
	t.Setenv("HARBOR_URL", "")
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, demoConfig("demo/team/app:2.0")))
	assert.Contains(t, out.String(), "GATE PASSED: 0 fixable findings of severity Critical or worse, 0 allowed.")

	out.Reset()
	cfg := demoConfig("demo/team/app:1.0")
	cfg.severity, cfg.max = harbor.SeverityHigh, 2
	require.NoError(t, run(t.Context(), &out, cfg))
	assert.Contains(t, out.String(), "GATE PASSED: 2 fixable findings of severity High or worse, 2 allowed.")

	out.Reset()
	cfg = demoConfig("demo/team/app:2.0")
	cfg.severity, cfg.all = harbor.SeverityLow, true
	require.ErrorIs(t, run(t.Context(), &out, cfg), errGateFailed)
	assert.Contains(t, out.String(), "GATE FAILED: 1 findings of severity Low or worse, 0 allowed.")
}

// Against a Harbor given by HARBOR_URL (an in-memory one started here), a
// failed scan is an error, not a verdict.
func TestFailedScanIsAnError(t *testing.T) {
	srv := harbortest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddProject("p", false)
	srv.AddImage("p", "app", "1")
	srv.PlanScanFailure("p", "app", "1", 0)
	t.Setenv("HARBOR_URL", srv.URL)
	t.Setenv("HARBOR_USERNAME", srv.AdminUsername)
	t.Setenv("HARBOR_PASSWORD", srv.AdminPassword)
	var out bytes.Buffer
	err := run(t.Context(), &out, demoConfig("p/app:1"))
	require.ErrorIs(t, err, harbor.ErrScanFailed)
	assert.NotErrorIs(t, err, errGateFailed)

	err = run(t.Context(), &out, demoConfig(""))
	require.ErrorContains(t, err, "an image reference is required")
}

func TestParseImage(t *testing.T) {
	for ref, want := range map[string][3]string{
		"demo/team/app:1.0":                      {"demo", "team/app", "1.0"},
		"harbor.example.com/demo/app:latest":     {"demo", "app", "latest"},
		"localhost:8080/demo/team/app@sha256:ab": {"demo", "team/app", "sha256:ab"},
		"demo/app@sha256:abc":                    {"demo", "app", "sha256:abc"},
	} {
		p, r, ref2, err := parseImage(ref)
		require.NoError(t, err, ref)
		assert.Equal(t, want, [3]string{p, r, ref2}, ref)
	}
	for _, bad := range []string{"app:1", "demo/app", "demo//app:1", ""} {
		_, _, _, err := parseImage(bad)
		assert.Error(t, err, bad)
	}
}

// The command as a user runs it: no argument and no HARBOR_URL is the
// demonstration, which fails on purpose (1) and says so; a bad flag or
// argument is a clear error and 2, before any server is started.
func TestCLIExitStatus(t *testing.T) {
	t.Setenv("HARBOR_URL", "")
	var out, errOut bytes.Buffer
	require.Equal(t, 1, cli(t.Context(), nil, &out, &errOut))
	assert.Contains(t, out.String(), "GATE FAILED (on purpose")
	assert.Contains(t, out.String(), "robot$demo+scan-gate")
	assert.Empty(t, errOut.String())

	out.Reset()
	require.Equal(t, 0, cli(t.Context(), []string{"-timeout", "1m", "demo/team/app:2.0"}, &out, &errOut))
	assert.Contains(t, out.String(), "GATE PASSED")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-nope"}, "flag provided but not defined: -nope"},
		{[]string{"-max", "x"}, `invalid value "x" for flag -max`},
		{[]string{"-max", "-1"}, "-max -1: must be 0 or more"},
		{[]string{"-timeout", "0s"}, "-timeout 0s: must be more than 0"},
		{[]string{"-severity", "awful"}, `-severity "awful"`},
		{[]string{"a/b:1", "c/d:2"}, "one image reference at most, got 2"},
		{[]string{"app:1"}, `image "app:1": want project/repository:tag`},
	} {
		out.Reset()
		errOut.Reset()
		assert.Equal(t, 2, cli(t.Context(), tc.args, &out, &errOut), tc.args)
		assert.Contains(t, errOut.String(), tc.want, tc.args)
		assert.Contains(t, errOut.String(), "usage: scan-gate", tc.args)
		assert.Empty(t, out.String(), "nothing started for %v", tc.args)
	}
	errOut.Reset()
	assert.Equal(t, 0, cli(t.Context(), []string{"-h"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "-severity")
}

// hostileHarbor serves a private project p holding image app:1 whose scan
// finds what finds says, and points HARBOR_URL at it as the administrator
// with password ("" for the right one).
func hostileHarbor(t *testing.T, password string, finds []harbortest.Vulnerability) *harbortest.Server {
	srv := harbortest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddProject("p", false)
	srv.AddImage("p", "app", "1")
	srv.PlanScan("p", "app", "1", finds, 0)
	t.Setenv("HARBOR_URL", srv.URL)
	t.Setenv("HARBOR_USERNAME", srv.AdminUsername)
	if password == "" {
		password = srv.AdminPassword
	}
	t.Setenv("HARBOR_PASSWORD", password)
	return srv
}

// Wrong credentials are refused before anything is scanned or judged
// (issue 18 item 4): exit 2, naming the user, no verdict.
func TestWrongPasswordIsRefusedFirst(t *testing.T) {
	srv := hostileHarbor(t, "Wrong12345", harbortest.SampleVulnerabilities())
	srv.ResetRequests()
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, cli(t.Context(), []string{"p/app:1"}, &out, &errOut))
	assert.Contains(t, errOut.String(), `harbor: Whoami: credentials of "admin" not accepted`)
	assert.NotContains(t, out.String(), "GATE")
	for _, r := range srv.Requests() {
		assert.NotContains(t, r.Path, "/scan", "nothing scanned with credentials Harbor refused")
	}
}

// A scanner's text cannot forge a verdict line or move the cursor (issue
// 18 item 8): control characters are printed escaped.
func TestScannerTextIsEscaped(t *testing.T) {
	forged := "1.0\nGATE PASSED: 0 fixable findings of severity Critical or worse, 0 allowed."
	hostileHarbor(t, "", []harbortest.Vulnerability{
		{ID: "CVE-1\x1b[1A", Package: "pkg\x1b[2K\r", Version: forged, FixVersion: "2.0\t", Severity: "Critical"}})
	var out, errOut bytes.Buffer
	assert.Equal(t, 1, cli(t.Context(), []string{"p/app:1"}, &out, &errOut), errOut.String())
	text := out.String()
	assert.NotRegexp(t, `(?m)^GATE PASSED`, text)
	assert.Contains(t, text, `1.0\nGATE PASSED: 0 fixable`)
	assert.Contains(t, text, `pkg\x1b[2K\r`)
	assert.Contains(t, text, `CVE-1\x1b[1A`)
	assert.NotContains(t, text, "\x1b")
	assert.NotContains(t, text, "\r")
	assert.Regexp(t, `(?m)^GATE FAILED: 1 fixable findings of severity Critical or worse, 0 allowed\.$`, text)
}
