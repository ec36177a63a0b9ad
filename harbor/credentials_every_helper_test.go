package harbor_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// The robot helpers send credentials on every request, their checks as
// the robot included: a proxy in front of harbortest notes any request
// that carries no Authorization header and no session (the login's own
// requests aside).
func TestRobotHelpersSendCredentials(t *testing.T) {
	srv := harbortest.NewServer()
	t.Cleanup(srv.Close)
	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var mu sync.Mutex
	var anonymous []string
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" && !strings.Contains(r.Header.Get("Cookie"), "sid=") && !strings.HasPrefix(r.URL.Path, "/c/") {
			mu.Lock()
			anonymous = append(anonymous, r.Method+" "+r.URL.Path)
			mu.Unlock()
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	admin, err := harbor.NewClient(front.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	require.NoError(t, err)
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "robot.json")

	created, err := admin.CreateRobot(ctx, projectCreator("creds"), harbor.SaveCredentials(path),
		harbor.CheckPermissions())
	require.NoError(t, err)
	chosen := projectCreator("chosen")
	chosen.Secret = "Chosen-S3cret1"
	_, err = admin.CreateRobot(ctx, chosen)
	require.NoError(t, err)
	_, err = admin.FindRobot(ctx, created.Name)
	require.NoError(t, err)
	_, err = admin.RobotPermissions(ctx)
	require.NoError(t, err)
	_, err = admin.RefreshRobotSecret(ctx, created.ID, "")
	require.NoError(t, err)
	_, err = admin.RotateCredentialsFile(ctx, path, "")
	require.NoError(t, err)
	_, err = admin.RotateCredentialsFile(ctx, path, "Rotated-S3cret2")
	require.NoError(t, err)
	bot, err := harbor.NewClient(front.URL, harbor.WithCredentialsFile(path))
	require.NoError(t, err)
	_, err = bot.Whoami(ctx)
	require.NoError(t, err)

	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, anonymous, "requests sent without credentials")
}
