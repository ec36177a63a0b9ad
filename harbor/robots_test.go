package harbor_test

import (
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/credentials"
	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/user"
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func newServer(t *testing.T, opts ...harbortest.Option) (*harbortest.Server, *harbor.Client) {
	t.Helper()
	srv := harbortest.NewServer(opts...)
	t.Cleanup(srv.Close)
	admin, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	require.NoError(t, err)
	return srv, admin
}

func projectCreator(name string) *models.RobotCreate {
	return harbor.SystemRobot(name, 30, harbor.Allow(harbor.ResourceProject, harbor.ActionCreate))
}

// The headline flow: an administrator creates a system robot with
// project:create and saves it; a client built from the file creates a
// project; the robot is refused where it has no permission.
func TestPrivilegedRobotFlow(t *testing.T) {
	srv, admin := newServer(t)
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "robot.json")

	created, err := admin.CreateRobot(ctx, projectCreator("from_api"), harbor.SaveCredentials(path))
	require.NoError(t, err)
	assert.Equal(t, "robot$from_api", created.Name)
	assert.NotEmpty(t, created.Secret)

	cred, err := credentials.Load(path)
	require.NoError(t, err)
	assert.Equal(t, created.Name, cred.Name)
	assert.Equal(t, created.Secret, cred.Secret.Reveal())
	require.Len(t, cred.Permissions, 1)
	assert.Equal(t, "system", cred.Permissions[0].Kind)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, fs.FileMode(0o600), info.Mode().Perm())

	bot, err := harbor.NewClient(srv.URL, harbor.WithCredentialsFile(path))
	require.NoError(t, err)
	who, err := bot.Whoami(ctx)
	require.NoError(t, err)
	assert.Equal(t, harbor.IdentityRobot, who.Kind)
	assert.Equal(t, "robot$from_api", who.Name)

	_, err = bot.API().Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "made-by-robot"}))
	require.NoError(t, err)
	assert.True(t, slicesContainsProject(srv.Projects(), "made-by-robot"))

	_, err = bot.API().User.ListUsers(ctx, user.NewListUsersParams())
	require.Error(t, err)
	he, ok := harbor.AsError(err)
	require.True(t, ok)
	assert.ErrorIs(t, he, harbor.ErrForbidden)

	_, err = bot.CreateRobot(ctx, projectCreator("child"))
	assert.ErrorIs(t, err, harbor.ErrForbidden, "a robot without robot:create is refused")
}

func slicesContainsProject(ps []harbortest.Project, name string) bool {
	for _, p := range ps {
		if p.Name == name {
			return true
		}
	}
	return false
}

func TestValidationRefusalsSendNoRequest(t *testing.T) {
	cases := map[string]func(rc *models.RobotCreate){
		"name":                     func(rc *models.RobotCreate) { rc.Name = "From_API" },
		"name ":                    func(rc *models.RobotCreate) { rc.Name = "" },
		"give the short name":      func(rc *models.RobotCreate) { rc.Name = "robot$x" },
		"level":                    func(rc *models.RobotCreate) { rc.Level = "global" },
		"duration":                 func(rc *models.RobotCreate) { rc.Duration = 0 },
		"duration ":                func(rc *models.RobotCreate) { rc.Duration = -2 },
		"permissions":              func(rc *models.RobotCreate) { rc.Permissions = nil },
		"permissions[0].kind":      func(rc *models.RobotCreate) { rc.Permissions[0].Kind = "global" },
		"permissions[0].namespace": func(rc *models.RobotCreate) { rc.Permissions[0].Namespace = "library" },
		"permissions[0].access":    func(rc *models.RobotCreate) { rc.Permissions[0].Access = nil },
		"permissions[0].access[0]": func(rc *models.RobotCreate) { rc.Permissions[0].Access[0].Action = "" },
		"secret":                   func(rc *models.RobotCreate) { rc.Secret = "short1A" },
		"secret ":                  func(rc *models.RobotCreate) { rc.Secret = "alllowercase1" },
		"permissions[0].kind ":     func(rc *models.RobotCreate) { rc.Level = harbor.LevelProject },
	}
	srv, admin := newServer(t)
	for field, mutate := range cases {
		rc := projectCreator("bot")
		mutate(rc)
		srv.ResetRequests()
		_, err := admin.CreateRobot(t.Context(), rc)
		require.Error(t, err, field)
		assert.ErrorIs(t, err, harbor.ErrInvalidRobot, field)
		assert.Contains(t, err.Error(), strings.TrimSpace(field), field)
		if rc.Secret != "" {
			assert.NotContains(t, err.Error(), rc.Secret)
		}
		assert.Empty(t, srv.Requests(), "%s: no request may be sent", field)
	}
	assert.Empty(t, srv.Robots())
}

func TestExistingFileRefusedBeforeCreating(t *testing.T) {
	srv, admin := newServer(t)
	path := filepath.Join(t.TempDir(), "robot.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"name":"robot$old","secret":"Old12345"}`), 0o600))
	_, err := admin.CreateRobot(t.Context(), projectCreator("bot"), harbor.SaveCredentials(path))
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrExist)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), "(OverwriteCredentials replaces it)", "the message names this API's option")
	assert.NotContains(t, err.Error(), "use Overwrite", "credentials.Overwrite is not CreateRobot's option")
	assert.Empty(t, srv.Robots(), "no robot may be created when its secret could not be saved")

	_, err = admin.CreateRobot(t.Context(), projectCreator("bot"), harbor.SaveCredentials(filepath.Join(t.TempDir(), "missing", "robot.json")))
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.Empty(t, srv.Robots())

	created, err := admin.CreateRobot(t.Context(), projectCreator("bot"), harbor.SaveCredentials(path), harbor.OverwriteCredentials())
	require.NoError(t, err)
	cred, err := credentials.Load(path)
	require.NoError(t, err)
	assert.Equal(t, created.Secret, cred.Secret.Reveal())
}

func TestCreatedButNotSavedReturnsRobotAndSecret(t *testing.T) {
	srv, admin := newServer(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "robot.json")
	// The pre-flight check passes; then, while Harbor creates the robot,
	// the path becomes a directory, so the save fails.
	harbor.SetBeforeSaveHook(admin, func() { require.NoError(t, os.Mkdir(path, 0o700)) })
	created, err := admin.CreateRobot(t.Context(), projectCreator("bot"), harbor.SaveCredentials(path))
	require.Error(t, err)
	require.NotNil(t, created, "the robot must be returned when it was created")
	assert.NotEmpty(t, created.Secret)
	assert.ErrorIs(t, err, harbor.ErrRobotIncomplete)
	var inc *harbor.RobotIncompleteError
	require.True(t, errors.As(err, &inc))
	assert.Equal(t, created.ID, inc.ID)
	assert.Contains(t, err.Error(), "save the credentials file")
	assert.NotContains(t, err.Error(), created.Secret)
	got, ok := srv.RobotSecret(created.ID)
	require.True(t, ok)
	assert.Equal(t, got, created.Secret, "the returned secret is the one that works")
}

func TestChosenSecretIsSetAfterCreation(t *testing.T) {
	srv, admin := newServer(t)
	rc := projectCreator("chosen")
	rc.Secret = "Chosen12345"
	path := filepath.Join(t.TempDir(), "robot.json")
	created, err := admin.CreateRobot(t.Context(), rc, harbor.SaveCredentials(path))
	require.NoError(t, err)
	assert.Equal(t, "Chosen12345", created.Secret)
	current, _ := srv.RobotSecret(created.ID)
	assert.Equal(t, "Chosen12345", current)
	var methods []string
	for _, r := range srv.Requests() {
		methods = append(methods, r.Method+" "+r.Path)
	}
	assert.Contains(t, methods, "PATCH /api/v2.0/robots/"+itoa(created.ID))
	cred, err := credentials.Load(path)
	require.NoError(t, err)
	assert.Equal(t, "Chosen12345", cred.Secret.Reveal())

	bot, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(created.Name, "Chosen12345"))
	require.NoError(t, err)
	_, err = bot.Whoami(t.Context())
	require.NoError(t, err)
}

func TestChosenSecretFailureReturnsGeneratedSecret(t *testing.T) {
	srv, admin := newServer(t)
	rc := projectCreator("chosen")
	rc.Secret = "Chosen12345"
	srv.FailNext(1, 500, harbortest.OnMethod("PATCH"), harbortest.OnPath("/api/v2.0/robots/"))
	created, err := admin.CreateRobot(t.Context(), rc)
	require.Error(t, err)
	require.NotNil(t, created)
	assert.ErrorIs(t, err, harbor.ErrRobotIncomplete)
	current, _ := srv.RobotSecret(created.ID)
	assert.Equal(t, current, created.Secret, "the generated secret, which works, is returned")
	assert.NotContains(t, err.Error(), created.Secret)
}

func TestDuplicateRobotIsConflict(t *testing.T) {
	_, admin := newServer(t)
	_, err := admin.CreateRobot(t.Context(), projectCreator("dup"))
	require.NoError(t, err)
	_, err = admin.CreateRobot(t.Context(), projectCreator("dup"))
	assert.ErrorIs(t, err, harbor.ErrConflict)
}

func TestCheckPermissionsAgainstCatalogue(t *testing.T) {
	srv, admin := newServer(t)
	rc := harbor.SystemRobot("fly", 30, harbor.Allow("nonsense", "fly"))
	_, err := admin.CreateRobot(t.Context(), rc, harbor.CheckPermissions())
	assert.ErrorIs(t, err, harbor.ErrInvalidRobot)
	assert.Contains(t, err.Error(), "nonsense:fly")
	assert.Empty(t, srv.Robots())
	pc, err := admin.RobotPermissions(t.Context())
	require.NoError(t, err)
	assert.True(t, pc.Allows(harbor.KindSystem, harbor.ResourceProject, harbor.ActionCreate))
	assert.False(t, pc.Allows(harbor.KindSystem, "nonsense", "fly"))
}

func TestWhoami(t *testing.T) {
	srv, admin := newServer(t)
	who, err := admin.Whoami(t.Context())
	require.NoError(t, err)
	assert.Equal(t, harbor.Identity{Kind: harbor.IdentityUser, Name: "admin", UserID: who.UserID, SysAdmin: true}, *who)

	wrong, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "wrong"))
	require.NoError(t, err)
	require.NoError(t, wrong.Ping(t.Context()), "Ping does not check credentials")
	_, err = wrong.Whoami(t.Context())
	assert.ErrorIs(t, err, harbor.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "wrong\"")

	anon, err := harbor.NewClient(srv.URL)
	require.NoError(t, err)
	_, err = anon.Whoami(t.Context())
	assert.ErrorIs(t, err, harbor.ErrUnauthorized)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

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

// The server's robot name prefix: a refusal (a non-administrator's 401 or
// 403) is kept, since asking again gets the same answer; a proxy's 5xx is
// an outage, so the prefix is asked again next time rather than the
// default being kept for the client's life.
func TestRobotNamePrefixAfterOutageIsAskedAgain(t *testing.T) {
	srv, admin := newServer(t, harbortest.WithRobotNamePrefix("bot-"))
	created, err := admin.CreateRobot(t.Context(), projectCreator("x"))
	require.NoError(t, err)
	fresh, err := admin.With()
	require.NoError(t, err)
	srv.FailNext(3, 502, harbortest.OnPath("/api/v2.0/configurations"))
	assert.Equal(t, harbor.DefaultRobotNamePrefix, fresh.RobotNamePrefix(t.Context()), "no answer: the default")
	assert.Equal(t, "bot-", fresh.RobotNamePrefix(t.Context()), "asked again once Harbor answers")
	r, err := fresh.FindRobot(t.Context(), "x")
	require.NoError(t, err)
	assert.Equal(t, created.ID, r.ID)

	refused, err := admin.With()
	require.NoError(t, err)
	srv.FailNext(1, 403, harbortest.OnPath("/api/v2.0/configurations"))
	assert.Equal(t, harbor.DefaultRobotNamePrefix, refused.RobotNamePrefix(t.Context()))
	srv.ResetRequests()
	assert.Equal(t, harbor.DefaultRobotNamePrefix, refused.RobotNamePrefix(t.Context()), "a refusal is kept")
	assert.Empty(t, srv.Requests())
}

func onSecretCheck() []harbortest.FaultOption {
	return []harbortest.FaultOption{harbortest.OnMethod("GET"), harbortest.OnPath("/api/v2.0/users/current/permissions")}
}

// A proxy's 502 on the PATCH that sets a chosen secret (Harbor may or may
// not have carried it out): CreateRobot checks which secret is in force,
// returns and saves that one; when the checks fail too, it still saves
// the generated secret and says that the chosen one may be the one in
// force. No error text holds either secret.
func TestChosenSecretAfterProxyErrors(t *testing.T) {
	for _, checksFail := range []bool{false, true} {
		t.Run(map[bool]string{false: "checked", true: "checks fail"}[checksFail], func(t *testing.T) {
			srv, admin := newServer(t)
			srv.FailNext(1, 502, onRobotPatch()...)
			if checksFail {
				srv.FailNext(100, 502, onSecretCheck()...)
			}
			rc := projectCreator("chosen")
			rc.Secret = chosenSecret
			path := filepath.Join(t.TempDir(), "robot.json")
			created, err := admin.CreateRobot(t.Context(), rc, harbor.SaveCredentials(path))
			require.NotNil(t, created, "the robot exists: it must be returned (%v)", err)
			require.ErrorIs(t, err, harbor.ErrRobotIncomplete)
			assert.ErrorIs(t, err, harbor.ErrServer)
			inForce, _ := srv.RobotSecret(created.ID)
			assert.Equal(t, inForce, created.Secret)
			cred, lerr := credentials.Load(path)
			require.NoError(t, lerr, "the file is the user's only copy of the generated secret")
			assert.Equal(t, inForce, cred.Secret.Reveal())
			want := "Harbor's generated secret, which works (checked; the chosen one does not)"
			if checksFail {
				want = "which secret is in force could not be checked, try the chosen one too"
			}
			assert.Contains(t, err.Error(), want)
			assert.NotContains(t, err.Error(), inForce)
			assert.NotContains(t, err.Error(), chosenSecret)
		})
	}
}

// A proxy's 502 on CreateRobot's POST (Harbor did not create the robot):
// an *Error matching ErrServer, sent once, and no credentials file.
func TestCreateRobotProxyErrorSavesNothing(t *testing.T) {
	srv, admin := newServer(t)
	srv.FailNext(3, 502, harbortest.OnMethod("POST"), harbortest.OnPath("/api/v2.0/robots"))
	path := filepath.Join(t.TempDir(), "robot.json")
	created, err := admin.CreateRobot(t.Context(), projectCreator("bot"), harbor.SaveCredentials(path))
	require.ErrorIs(t, err, harbor.ErrServer)
	assert.Nil(t, created)
	assert.Empty(t, srv.Robots())
	_, serr := os.Stat(path)
	assert.ErrorIs(t, serr, os.ErrNotExist)
	posts := 0
	for _, r := range srv.Requests() {
		if r.Method == "POST" && r.Path == "/api/v2.0/robots" {
			posts++
		}
	}
	assert.Equal(t, 1, posts, "a POST is never retried")
}

// The case of issue 18 item 1 as a user meets it: NewClient("127.0.0.1:port")
// (no scheme: https) against harbortest's plain-HTTP URL. CreateRobot's POST
// was never sent: not ErrOutcomeUnknown, no robot, and the error says to use
// the http:// URL.
func TestCreateRobotAgainstPlainHTTPHarborIsNotSent(t *testing.T) {
	srv := harbortest.NewServer()
	t.Cleanup(srv.Close)
	hostPort := strings.TrimPrefix(srv.URL, "http://")
	c, err := harbor.NewClient(hostPort, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	require.NoError(t, err)
	_, err = c.CreateRobot(t.Context(), projectCreator("ci"))
	require.Error(t, err)
	assert.NotErrorIs(t, err, harbor.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "the server speaks plain HTTP: use http://"+hostPort+"/api/v2.0")
	assert.Empty(t, srv.Robots())
	assert.Empty(t, srv.Requests(), "nothing reached the server")
}
