package harbor_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// svHarbortest starts an in-memory Harbor and returns it with a client as
// the given user ("" for anonymous).
func svHarbortest(t *testing.T, user, password string) (*harbortest.Server, *harbor.Client) {
	t.Helper()
	srv := harbortest.NewServer()
	t.Cleanup(srv.Close)
	var opts []harbor.Option
	if user != "" {
		opts = append(opts, harbor.WithBasicAuth(user, password))
	}
	c, err := harbor.NewClient(srv.URL, opts...)
	require.NoError(t, err)
	return srv, c
}

// svStub answers GET /api/v2.0/systeminfo with the given harbor_version, the
// way Harbor answers an authenticated caller.
func svStub(t *testing.T, version string) *harbor.Client {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v2.0/systeminfo" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"auth_mode":"db_auth","harbor_version":"` + version + `","self_registration":false}`))
	}))
	t.Cleanup(s.Close)
	c, err := harbor.NewClient(s.URL, harbor.WithBasicAuth("admin", "Harbor12345"))
	require.NoError(t, err)
	return c
}

func TestServerVersionFromHarbortest(t *testing.T) {
	srv, admin := svHarbortest(t, "admin", "Harbor12345")
	v, err := admin.ServerVersion(t.Context())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(v, harbor.SpecVersion+"-"), "harbortest claims the spec's release with a build suffix, got %q", v)

	comp, err := admin.CheckCompatibility(t.Context())
	require.NoError(t, err)
	assert.Equal(t, harbor.ServerSameVersion, comp.Relation)
	assert.True(t, comp.OK())
	assert.False(t, comp.PatchOnly)
	assert.Equal(t, v, comp.ServerVersion)
	assert.Equal(t, harbor.SpecVersion, comp.SpecVersion)
	assert.Contains(t, comp.Message, "server "+harbor.SpecVersion+" is the release of the spec "+harbor.SpecVersion)

	// A robot sees the version too (capture a28).
	created, err := admin.CreateRobot(t.Context(), harbor.SystemRobot("version-reader", 1, harbor.Allow(harbor.ResourceProject, harbor.ActionList)))
	require.NoError(t, err)
	bot, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(created.Name, created.Secret))
	require.NoError(t, err)
	botV, err := bot.ServerVersion(t.Context())
	require.NoError(t, err)
	assert.Equal(t, v, botV)
}

// Harbor leaves harbor_version out for anonymous callers (capture 02b), and
// wrong credentials make the caller anonymous there.
func TestServerVersionHiddenFromAnonymousAndWrongCredentials(t *testing.T) {
	srv, anon := svHarbortest(t, "", "")
	_, err := anon.ServerVersion(t.Context())
	require.ErrorIs(t, err, harbor.ErrServerVersionUnknown)
	assert.Contains(t, err.Error(), "this client is anonymous")
	_, err = anon.CheckCompatibility(t.Context())
	assert.ErrorIs(t, err, harbor.ErrServerVersionUnknown)

	wrong, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "not-the-password"))
	require.NoError(t, err)
	_, err = wrong.ServerVersion(t.Context())
	require.ErrorIs(t, err, harbor.ErrServerVersionUnknown)
	assert.Contains(t, err.Error(), `authenticates as "admin"`)
	assert.Contains(t, err.Error(), "credentials were probably not accepted")
	assert.NotContains(t, err.Error(), "not-the-password")
}

func TestCheckCompatibilityOlderAndNewer(t *testing.T) {
	cases := []struct {
		version   string
		relation  harbor.VersionRelation
		patchOnly bool
		message   string
	}{
		{"v2.14.4-7c1f3a2b", harbor.ServerOlder, false,
			"server v2.14.4 is older than the spec " + harbor.SpecVersion + " this SDK was generated from: operations and fields added since v2.14.4 may be refused"},
		{"v2.16.0-0a1b2c3d", harbor.ServerNewer, false,
			"server v2.16.0 is newer than the spec " + harbor.SpecVersion + " this SDK was generated from: what this SDK offers keeps working"},
		{"v3.0.0", harbor.ServerNewer, false, "upgrade the SDK to the release generated from v3.0.0"},
		{"v1.10.19", harbor.ServerOlder, false, "upgrade Harbor"},
	}
	for _, tc := range cases {
		t.Run(tc.version, func(t *testing.T) {
			c := svStub(t, tc.version)
			comp, err := c.CheckCompatibility(t.Context())
			require.NoError(t, err)
			assert.Equal(t, tc.relation, comp.Relation)
			assert.False(t, comp.OK())
			assert.Equal(t, tc.patchOnly, comp.PatchOnly)
			assert.Equal(t, tc.version, comp.ServerVersion)
			assert.Contains(t, comp.Message, tc.message)
			assert.NotContains(t, comp.Message, "\n")
		})
	}
}

func TestCompareWithSpec(t *testing.T) {
	spec := strings.TrimPrefix(harbor.SpecVersion, "v")
	for _, v := range []string{harbor.SpecVersion, spec, harbor.SpecVersion + "-080b0220", harbor.SpecVersion + "+meta", " " + harbor.SpecVersion + "-rc1 "} {
		comp, err := harbor.CompareWithSpec(v)
		require.NoError(t, err, v)
		assert.Equal(t, harbor.ServerSameVersion, comp.Relation, v)
	}

	older, err := harbor.CompareWithSpec("v2.15.1-abc")
	require.NoError(t, err)
	if harbor.SpecVersion == "v2.15.2" {
		assert.Equal(t, harbor.ServerOlder, older.Relation)
		assert.True(t, older.PatchOnly)
		assert.Contains(t, older.Message, "differ in the patch number only")
	}
	newer, err := harbor.CompareWithSpec("v2.15.10")
	require.NoError(t, err)
	if harbor.SpecVersion == "v2.15.2" {
		assert.Equal(t, harbor.ServerNewer, newer.Relation, "numbers compare as numbers, not text")
	}

	for _, bad := range []string{"", "dev", "v2.15", "v2.15.x", "2.15.2.1", "vv2.15.2", "latest-abc"} {
		_, err := harbor.CompareWithSpec(bad)
		assert.True(t, errors.Is(err, harbor.ErrServerVersionUnknown), "%q: %v", bad, err)
	}
}

func TestServerVersionRefusalIsError(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"errors":[{"code":"UNKNOWN","message":"database is down"}]}`))
	}))
	t.Cleanup(s.Close)
	c, err := harbor.NewClient(s.URL, harbor.WithBasicAuth("admin", "x"), harbor.WithoutRetry())
	require.NoError(t, err)
	_, err = c.ServerVersion(t.Context())
	he, ok := harbor.AsError(err)
	require.True(t, ok, "%T %v", err, err)
	assert.Equal(t, 500, he.StatusCode)
	assert.Equal(t, "database is down", he.Message())
}
