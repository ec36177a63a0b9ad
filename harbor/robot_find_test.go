package harbor_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func TestFindRobot(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("proj", false)
	sys, err := admin.CreateRobot(t.Context(), projectCreator("from_api"))
	require.NoError(t, err)
	pr, err := admin.CreateRobot(t.Context(), harbor.ProjectRobot("proj", "ci", 7, harbor.Allow(harbor.ResourceRepository, harbor.ActionPull)))
	require.NoError(t, err)
	assert.Equal(t, "robot$proj+ci", pr.Name)
	for _, other := range []string{"ci2", "myci"} { // names the query also matches (it asks for names holding "ci")
		_, err := admin.CreateRobot(t.Context(), harbor.ProjectRobot("proj", other, 7, harbor.Allow(harbor.ResourceRepository, harbor.ActionPull)))
		require.NoError(t, err)
	}

	for _, name := range []string{"from_api", "robot$from_api"} {
		r, err := admin.FindRobot(t.Context(), name)
		require.NoError(t, err, name)
		assert.Equal(t, sys.ID, r.ID)
	}
	r, err := admin.FindRobot(t.Context(), "robot$proj+ci")
	require.NoError(t, err)
	assert.Equal(t, pr.ID, r.ID)
	r, err = admin.FindRobot(t.Context(), "proj+ci")
	require.NoError(t, err)
	assert.Equal(t, pr.ID, r.ID)

	_, err = admin.FindRobot(t.Context(), "nobody")
	assert.ErrorIs(t, err, harbor.ErrNotFound)
	for _, bad := range []string{"robot$proj+", "robot$+ci"} {
		_, err = admin.FindRobot(t.Context(), bad)
		assert.ErrorContains(t, err, "a project robot's name is project+name, both non-empty", bad)
	}
}

// Harbor unescapes q once more than the URL (src/lib/q), and harbortest
// does the same: the "+" of a project robot's name would reach it as a
// space, so FindRobot never sends it (it asks for names holding the part
// after "+" and compares whole names itself).
func TestFindRobotSendsNoPlusInQ(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("proj", false)
	pr, err := admin.CreateRobot(t.Context(), harbor.ProjectRobot("proj", "ci", 7, harbor.Allow(harbor.ResourceRepository, harbor.ActionPull)))
	require.NoError(t, err)
	srv.ResetRequests()
	r, err := admin.FindRobot(t.Context(), pr.Name)
	require.NoError(t, err)
	assert.Equal(t, pr.ID, r.ID)
	var qs []string
	for _, req := range srv.Requests() {
		if req.Path == "/api/v2.0/robots" {
			v, err := url.ParseQuery(req.RawQuery)
			require.NoError(t, err)
			qs = append(qs, v.Get("q"))
		}
	}
	require.NotEmpty(t, qs)
	for _, q := range qs {
		assert.NotContains(t, q, "+", "Harbor would read it as a space")
		assert.Contains(t, q, "name=~ci")
	}
}

func TestFindRobotHonoursServerPrefix(t *testing.T) {
	_, admin := newServer(t, harbortest.WithRobotNamePrefix("bot-"))
	created, err := admin.CreateRobot(t.Context(), projectCreator("x"))
	require.NoError(t, err)
	assert.Equal(t, "bot-x", created.Name)
	assert.Equal(t, "bot-", admin.RobotNamePrefix(t.Context()))
	r, err := admin.FindRobot(t.Context(), "x")
	require.NoError(t, err)
	assert.Equal(t, created.ID, r.ID)
}

// Harbor answered 200 [] : the error matches ErrNotFound and says what was
// searched, without pretending that Harbor answered 404.
func TestFindRobotNotFoundSaysWhatWasSearched(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("proj", false)
	for _, tc := range []struct{ name, says string }{
		{"nobody", `harbor: FindRobot: no robot named "robot$nobody" among the system robots (GET /robots?q=Level=system,name=nobody listed none)`},
		{"robot$proj+nobody", `no robot named "robot$proj+nobody" among the robots of project "proj" (id 2)`},
	} {
		_, err := admin.FindRobot(t.Context(), tc.name)
		require.ErrorIs(t, err, harbor.ErrNotFound)
		assert.Contains(t, err.Error(), tc.says)
		var he *harbor.Error
		assert.False(t, errors.As(err, &he), "Harbor answered 200: no *Error may be invented")
		_, isHarbor := harbor.AsError(err)
		assert.False(t, isHarbor)
		assert.False(t, harbor.IsStatus(err, http.StatusNotFound))
	}
	_, err := admin.FindRobot(t.Context(), "robot$missing+x")
	assert.ErrorIs(t, err, harbor.ErrNotFound, "a missing project is Harbor's own 404")
	assert.True(t, harbor.IsStatus(err, http.StatusNotFound))
}

// RobotNamePrefix holds no lock across its request: FindRobot with a short
// deadline returns by it, with context.DeadlineExceeded, while another
// call's GET /configurations hangs.
func TestFindRobotHonoursItsDeadlineWhileAnotherCallWaits(t *testing.T) {
	srv, _ := newServer(t)
	target, err := url.Parse(srv.URL)
	require.NoError(t, err)
	forward := httputil.NewSingleHostReverseProxy(target)
	release, arrived := make(chan struct{}), make(chan struct{}, 8)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v2.0/configurations" {
			arrived <- struct{}{}
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		forward.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	admin, err := harbor.NewClient(proxy.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	require.NoError(t, err)

	slow := make(chan string)
	go func() { slow <- admin.RobotNamePrefix(context.Background()) }()
	<-arrived // the slow call is in flight

	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	found := make(chan error, 1)
	go func() {
		_, err := admin.FindRobot(ctx, "bot")
		found <- err
	}()
	select {
	case err := <-found:
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), `harbor: FindRobot: "bot"`)
	case <-time.After(30 * time.Second): // a failure detector, not a timing assertion
		t.Fatal("FindRobot waited behind another call's request")
	}
	close(release)
	assert.Equal(t, harbor.DefaultRobotNamePrefix, <-slow)
}

func TestDeleteRobotByFullName(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("proj", false)
	pr, err := admin.CreateRobot(t.Context(), harbor.ProjectRobot("proj", "ci", 7, harbor.CIAccess()...))
	require.NoError(t, err)
	sys, err := admin.CreateRobot(t.Context(), projectCreator("sys"))
	require.NoError(t, err)
	name := admin.ProjectRobotName(t.Context(), "proj", "ci")
	assert.Equal(t, "robot$proj+ci", name)
	assert.Equal(t, pr.Name, name)

	require.NoError(t, admin.DeleteRobot(t.Context(), name))
	_, err = admin.FindRobot(t.Context(), name)
	require.ErrorIs(t, err, harbor.ErrNotFound)
	err = admin.DeleteRobot(t.Context(), name)
	require.ErrorIs(t, err, harbor.ErrNotFound)
	assert.Contains(t, err.Error(), `harbor: DeleteRobot: FindRobot: no robot named "robot$proj+ci"`)
	require.NoError(t, admin.DeleteRobot(t.Context(), sys.Name))
	assert.Empty(t, srv.Robots())

	custom, err := admin.With(harbor.WithRobotNamePrefix("bot-"))
	require.NoError(t, err)
	assert.Equal(t, "bot-proj+ci", custom.ProjectRobotName(t.Context(), "proj", "ci"))
}
