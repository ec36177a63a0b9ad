package harbor_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/credentials"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

const chosenSecret = "Chosen12345"

func onRobotPatch() []harbortest.FaultOption {
	return []harbortest.FaultOption{harbortest.OnMethod("PATCH"), harbortest.OnPath("/api/v2.0/robots/")}
}

// patchFaults are the ways the PATCH that sets a chosen secret can fail
// after reaching Harbor, or before. Each returns the client and context to
// use; applied says whether Harbor carried the PATCH out; cause is the
// context error the failure must match besides ErrOutcomeUnknown, if any.
var patchFaults = []struct {
	name    string
	applied bool
	cause   error
	setup   func(t *testing.T, srv *harbortest.Server, admin *harbor.Client) (*harbor.Client, context.Context)
}{
	{"cut after apply", true, nil, func(t *testing.T, srv *harbortest.Server, admin *harbor.Client) (*harbor.Client, context.Context) {
		srv.CutNext(1, append(onRobotPatch(), harbortest.AfterApply())...)
		return admin, t.Context()
	}},
	{"cut before apply", false, nil, func(t *testing.T, srv *harbortest.Server, admin *harbor.Client) (*harbor.Client, context.Context) {
		srv.CutNext(1, onRobotPatch()...)
		return admin, t.Context()
	}},
	{"WithTimeout after sending", true, context.DeadlineExceeded, func(t *testing.T, srv *harbortest.Server, _ *harbor.Client) (*harbor.Client, context.Context) {
		p := newHangProxy(t, srv, "PATCH", "/api/v2.0/robots/")
		c, err := harbor.NewClient(p.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword), harbor.WithTimeout(time.Second))
		require.NoError(t, err)
		return c, t.Context()
	}},
	{"ctx done after sending", true, context.Canceled, func(t *testing.T, srv *harbortest.Server, _ *harbor.Client) (*harbor.Client, context.Context) {
		p := newHangProxy(t, srv, "PATCH", "/api/v2.0/robots/")
		ctx, cancel := context.WithCancel(t.Context())
		t.Cleanup(cancel)
		p.onApplied = cancel // the caller gives up once Harbor has carried the PATCH out
		c, err := harbor.NewClient(p.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
		require.NoError(t, err)
		return c, ctx
	}},
}

// When the PATCH that sets the chosen secret fails after reaching Harbor,
// CreateRobot finds out which secret is in force, returns it and saves it.
func TestChosenSecretOutcomeUnknownReturnsTheSecretInForce(t *testing.T) {
	for _, f := range patchFaults {
		t.Run(f.name, func(t *testing.T) {
			srv, admin := newServer(t)
			c, ctx := f.setup(t, srv, admin)
			rc := projectCreator("chosen")
			rc.Secret = chosenSecret
			path := filepath.Join(t.TempDir(), "robot.json")

			created, err := c.CreateRobot(ctx, rc, harbor.SaveCredentials(path))
			require.NotNil(t, created, "the robot exists: it must be returned (%v)", err)
			inForce, ok := srv.RobotSecret(created.ID)
			require.True(t, ok)
			assert.Equal(t, inForce, created.Secret, "the returned secret is the one in force")
			cred, lerr := credentials.Load(path)
			require.NoError(t, lerr, "the credentials file is written: it is the user's only copy")
			assert.Equal(t, inForce, cred.Secret.Reveal())
			if f.applied {
				assert.NoError(t, err, "Harbor carried the change out; checked, so nothing is incomplete")
				assert.Equal(t, chosenSecret, created.Secret)
				return
			}
			require.ErrorIs(t, err, harbor.ErrRobotIncomplete)
			assert.ErrorIs(t, err, harbor.ErrOutcomeUnknown)
			assert.Contains(t, err.Error(), "Harbor's generated secret, which works (checked; the chosen one does not)")
			assert.NotEqual(t, chosenSecret, created.Secret)
			assert.NotContains(t, err.Error(), created.Secret)
		})
	}
}

// A refusal by Harbor (4xx) is certain: no check is needed, the generated
// secret is returned and saved.
func TestChosenSecretRefusedNeedsNoCheck(t *testing.T) {
	srv, admin := newServer(t)
	srv.FailNext(1, 403, onRobotPatch()...)
	rc := projectCreator("chosen")
	rc.Secret = chosenSecret
	path := filepath.Join(t.TempDir(), "robot.json")
	created, err := admin.CreateRobot(t.Context(), rc, harbor.SaveCredentials(path))
	require.ErrorIs(t, err, harbor.ErrRobotIncomplete)
	assert.Contains(t, err.Error(), "Harbor's generated secret, in force (Harbor refused the change)")
	inForce, _ := srv.RobotSecret(created.ID)
	assert.Equal(t, inForce, created.Secret)
	cred, err := credentials.Load(path)
	require.NoError(t, err)
	assert.Equal(t, inForce, cred.Secret.Reveal())
	for _, r := range srv.Requests() {
		assert.NotEqual(t, "/api/v2.0/users/current/permissions", r.Path, "no check after a certain refusal")
	}
}

// RotateCredentialsFile after a PATCH whose outcome is unknown: a chosen
// secret in force is saved; otherwise the error says that the file still
// holds the old secret and whether it still works.
func TestRotateOutcomeUnknown(t *testing.T) {
	for _, f := range patchFaults {
		for _, chosen := range []string{"", "Rotated12345"} {
			t.Run(f.name+"/chosen="+chosen, func(t *testing.T) {
				srv, admin := newServer(t)
				path := filepath.Join(t.TempDir(), "robot.json")
				created, err := admin.CreateRobot(t.Context(), projectCreator("rot"), harbor.SaveCredentials(path))
				require.NoError(t, err)
				c, ctx := f.setup(t, srv, admin)

				got, err := c.RotateCredentialsFile(ctx, path, chosen)
				inForce, _ := srv.RobotSecret(created.ID)
				cred, lerr := credentials.Load(path)
				require.NoError(t, lerr)
				switch {
				case f.applied && chosen != "":
					require.NoError(t, err, "the chosen secret is in force: checked, saved")
					assert.Equal(t, chosen, got.Reveal())
					assert.Equal(t, chosen, cred.Secret.Reveal())
				case f.applied:
					require.Error(t, err)
					assert.Contains(t, err.Error(), "the file still holds the old secret, which no longer works: Harbor generated a new secret whose answer was lost")
					assert.Equal(t, created.Secret, cred.Secret.Reveal(), "the file is unchanged")
					assert.NotEqual(t, inForce, created.Secret)
				default:
					require.Error(t, err)
					assert.Contains(t, err.Error(), "the file still holds the old secret, which still works: Harbor did not change it")
					assert.Equal(t, created.Secret, cred.Secret.Reveal())
					assert.Equal(t, inForce, created.Secret)
				}
				if err != nil {
					assert.ErrorIs(t, err, harbor.ErrOutcomeUnknown, "the PATCH may have reached Harbor")
					if f.cause != nil {
						assert.ErrorIs(t, err, f.cause)
					}
					assert.NotContains(t, err.Error(), created.Secret)
					assert.True(t, strings.HasPrefix(err.Error(), "harbor: RotateCredentialsFile: "+path), err.Error())
				}
			})
		}
	}
}

func TestRefreshAndRotate(t *testing.T) {
	srv, admin := newServer(t)
	path := filepath.Join(t.TempDir(), "robot.json")
	created, err := admin.CreateRobot(t.Context(), projectCreator("rot"), harbor.SaveCredentials(path))
	require.NoError(t, err)

	s, err := admin.RefreshRobotSecret(t.Context(), created.ID, "")
	require.NoError(t, err)
	assert.NotEqual(t, created.Secret, s.Reveal())
	current, _ := srv.RobotSecret(created.ID)
	assert.Equal(t, current, s.Reveal())

	_, err = admin.RefreshRobotSecret(t.Context(), created.ID, "weak")
	assert.ErrorIs(t, err, harbor.ErrInvalidRobot)

	before, err := credentials.Load(path)
	require.NoError(t, err)
	rotated, err := admin.RotateCredentialsFile(t.Context(), path, "Rotated12345")
	require.NoError(t, err)
	assert.Equal(t, "Rotated12345", rotated.Reveal())
	after, err := credentials.Load(path)
	require.NoError(t, err)
	assert.Equal(t, "Rotated12345", after.Secret.Reveal())
	assert.Equal(t, before.Permissions, after.Permissions)
	assert.Equal(t, *before.ID, *after.ID)

	bot, err := harbor.NewClient(srv.URL, harbor.WithCredentialsFile(path))
	require.NoError(t, err)
	_, err = bot.Whoami(t.Context())
	require.NoError(t, err)
	old, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(created.Name, created.Secret))
	require.NoError(t, err)
	_, err = old.Whoami(t.Context())
	assert.ErrorIs(t, err, harbor.ErrUnauthorized, "the old secret stops working")
}

// hangProxy forwards every request to a harbortest server. A request
// matching its method and path prefix is first carried out by the server,
// whose answer is dropped; then the proxy calls onApplied (when set) and
// hangs until the client gives up: the client cannot know the outcome.
type hangProxy struct {
	*httptest.Server
	method, prefix string
	onApplied      func()
	hung           atomic.Int64
}

func newHangProxy(t *testing.T, srv *harbortest.Server, method, prefix string) *hangProxy {
	t.Helper()
	target, err := url.Parse(srv.URL)
	require.NoError(t, err)
	forward := httputil.NewSingleHostReverseProxy(target)
	hc := srv.HTTPClient()
	p := &hangProxy{method: method, prefix: prefix}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != p.method || !strings.HasPrefix(r.URL.Path, p.prefix) || p.hung.Add(1) > 1 {
			forward.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		req, err := http.NewRequest(r.Method, srv.URL+r.URL.RequestURI(), bytes.NewReader(body))
		if err != nil {
			panic(err)
		}
		req.Header = r.Header.Clone()
		resp, err := hc.Do(req)
		if err != nil {
			panic(err)
		}
		_ = resp.Body.Close()
		if p.onApplied != nil {
			p.onApplied()
		}
		<-r.Context().Done()
	}))
	t.Cleanup(p.Close)
	return p
}

// A proxy's 502 on RotateCredentialsFile's PATCH (not carried out): the
// file is unchanged and the error says its old secret still works.
func TestRotateAfterProxyError(t *testing.T) {
	srv, admin := newServer(t)
	path := filepath.Join(t.TempDir(), "robot.json")
	created, err := admin.CreateRobot(t.Context(), projectCreator("bot"), harbor.SaveCredentials(path))
	require.NoError(t, err)
	srv.FailNext(1, 502, onRobotPatch()...)
	_, err = admin.RotateCredentialsFile(t.Context(), path, "")
	require.ErrorIs(t, err, harbor.ErrServer)
	assert.Contains(t, err.Error(), "the file still holds the old secret, which still works")
	assert.NotContains(t, err.Error(), created.Secret)
	cred, err := credentials.Load(path)
	require.NoError(t, err)
	assert.Equal(t, created.Secret, cred.Secret.Reveal())
}
