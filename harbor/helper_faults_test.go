package harbor

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/credentials"
)

// helperCall is one facade helper, and the one request of it that a fault
// is put on (method, and a part of the path).
type helperCall struct {
	name, method, path string
	call               func(ctx context.Context, c *Client) error
}

// write reports whether the faulted request is a POST or PATCH, whose
// failure after sending must match ErrOutcomeUnknown.
func (h helperCall) write() bool { return h.method == http.MethodPost || h.method == http.MethodPatch }

// helperCalls lists every facade helper that talks to Harbor. dir holds a
// credentials file for robot id 1 (RotateCredentialsFile).
func helperCalls(t *testing.T) []helperCall {
	t.Helper()
	path := filepath.Join(t.TempDir(), "robot.json")
	require.NoError(t, credentials.Save(path, &credentials.Credentials{Name: "robot$bot",
		Secret: credentials.NewSecret("Old-S3cret1"), ID: ptrTo(int64(1))}))
	const art = "/projects/p/repositories/team%252Fapp/artifacts/latest"
	first := func(seq func(func(ArtifactInfo, error) bool)) error {
		var err error
		seq(func(_ ArtifactInfo, e error) bool { err = e; return e == nil })
		return err
	}
	return []helperCall{
		{"Ping", "GET", "/ping", func(ctx context.Context, c *Client) error { return c.Ping(ctx) }},
		{"Whoami", "GET", "/users/current", func(ctx context.Context, c *Client) error { _, err := c.Whoami(ctx); return err }},
		{"ServerVersion", "GET", "/systeminfo", func(ctx context.Context, c *Client) error { _, err := c.ServerVersion(ctx); return err }},
		{"FindRobot", "GET", "/robots", func(ctx context.Context, c *Client) error { _, err := c.FindRobot(ctx, "bot"); return err }},
		{"RobotPermissions", "GET", "/permissions", func(ctx context.Context, c *Client) error {
			_, err := c.RobotPermissions(ctx)
			return err
		}},
		{"ArtifactAddition", "GET", art + "/additions/sbom", func(ctx context.Context, c *Client) error {
			_, err := c.ArtifactAddition(ctx, "p", "team/app", "latest", "sbom")
			return err
		}},
		{"VulnerabilitiesAddition", "GET", art + "/additions/vulnerabilities", func(ctx context.Context, c *Client) error {
			_, err := c.VulnerabilitiesAddition(ctx, "p", "team/app", "latest", "")
			return err
		}},
		{"VulnerabilityReport", "GET", art + "/additions/vulnerabilities", func(ctx context.Context, c *Client) error {
			_, err := c.VulnerabilityReport(ctx, "p", "team/app", "latest", "")
			return err
		}},
		{"WaitForScan", "GET", art, func(ctx context.Context, c *Client) error {
			// It looks again after a 5xx until ctx ends: a deadline ends it.
			ctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			_, err := c.WaitForScan(ctx, "p", "team/app", "latest", ScanPolling(time.Millisecond, 10*time.Millisecond))
			return err
		}},
		{"WalkArtifacts", "GET", "/projects/p/repositories/team%252Fapp/artifacts", func(ctx context.Context, c *Client) error {
			return first(c.WalkArtifacts(ctx, WalkRepositories("p/team/app")))
		}},
		{"ScanArtifact", "POST", art + "/scan", func(ctx context.Context, c *Client) error {
			return c.ScanArtifact(ctx, "p", "team/app", "latest")
		}},
		{"ScanAndWait", "POST", art + "/scan", func(ctx context.Context, c *Client) error {
			_, err := c.ScanAndWait(ctx, "p", "team/app", "latest")
			return err
		}},
		{"CreateRobot", "POST", "/robots", func(ctx context.Context, c *Client) error {
			_, err := c.CreateRobot(ctx, SystemRobot("bot", 1, Allow(ResourceProject, ActionCreate)))
			return err
		}},
		{"RefreshRobotSecret", "PATCH", "/robots/1", func(ctx context.Context, c *Client) error {
			_, err := c.RefreshRobotSecret(ctx, 1, "")
			return err
		}},
		{"RotateCredentialsFile", "PATCH", "/robots/1", func(ctx context.Context, c *Client) error {
			_, err := c.RotateCredentialsFile(ctx, path, "")
			return err
		}},
	}
}

// faultStub serves fault on h's request and a plain answer on any other
// (the robot name prefix, the secret checks), counting the faulted
// requests.
func faultStub(t *testing.T, h helperCall, fault http.HandlerFunc) (*stub, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.EscapedPath(), "/api/v2.0")
		if r.Method == h.method && p == h.path {
			hits.Add(1)
			fault(w, r)
			return
		}
		switch p {
		case "/configurations":
			writeJSON(w, 200, `{}`)
		case "/robots/1": // the robot the credentials file names (RotateCredentialsFile)
			writeJSON(w, 200, `{"id":1,"name":"robot$bot","level":"system"}`)
		case "/users/current/permissions":
			writeJSON(w, 401, `{"errors":[{"code":"UNAUTHORIZED","message":"unauthorized"}]}`)
		default:
			writeJSON(w, 404, `{"errors":[{"code":"NOT_FOUND","message":"not here"}]}`)
		}
	})
	return s, &hits
}

// quickRetry retries fast, so that retried and not retried calls differ
// in their request count only.
var quickRetry = WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxBackoff: time.Millisecond})
