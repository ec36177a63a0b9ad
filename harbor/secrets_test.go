package harbor_test

// No secret anywhere: a recognisable canary is used as the admin password,
// a robot's chosen secret and a credentials file's secret, every path that
// can fail is driven with it, and every error text (the whole chain), every
// log record (slog JSON and text handlers at debug level, plus stderr with
// go-openapi's DEBUG switches on) and the %v, %+v and %#v forms of every
// exported value involved are searched for it.

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/credentials"
	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// TestNoSecretAnywhere drives every failing path with the canary as a
// password or robot secret. It sets environment variables and redirects
// stderr, so it must not run in parallel.
func TestNoSecretAnywhere(t *testing.T) {
	t.Setenv("DEBUG", "1") // go-openapi's wire dumps (Authorization included) must stay off
	t.Setenv("SWAGGER_DEBUG", "1")
	stopCapture := captureStderr(t)

	var jsonLogs, textLogs bytes.Buffer
	logger := slog.New(teeHandler{
		slog.NewJSONHandler(&jsonLogs, &slog.HandlerOptions{Level: slog.LevelDebug}),
		slog.NewTextHandler(&textLogs, &slog.HandlerOptions{Level: slog.LevelDebug}),
	})
	retry := harbor.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxBackoff: 5 * time.Millisecond}
	common := []harbor.Option{harbor.WithLogger(logger), harbor.WithRetry(retry)}
	with := func(opts ...harbor.Option) []harbor.Option {
		return append(append([]harbor.Option{}, common...), opts...)
	}

	var lc leakCollector
	ctx := t.Context()
	dir := t.TempDir()

	srv := harbortest.NewServer(harbortest.WithAdminPassword(canary))
	t.Cleanup(srv.Close)
	admin, err := harbor.NewClient(srv.URL, with(harbor.WithBasicAuth("admin", canary))...)
	require.NoError(t, err)
	lc.value("admin client", admin)
	who, err := admin.Whoami(ctx)
	require.NoError(t, err)
	lc.value("admin identity", who)
	lc.value("admin identity value", *who)

	// --- URLs and options -------------------------------------------------
	leakURLsAndOptions(t, &lc, srv.URL, dir, retry)

	// --- Credentials files --------------------------------------------------
	rc := harbor.SystemRobot("canary-bot", 30, harbor.Allow(harbor.ResourceProject, harbor.ActionCreate))
	rc.Secret = canary
	credPath := filepath.Join(dir, "robot.json")
	created, err := admin.CreateRobot(ctx, rc, harbor.SaveCredentials(credPath))
	require.NoError(t, err)
	require.Equal(t, canary, created.Secret)
	cred, err := credentials.Load(credPath)
	require.NoError(t, err)
	lc.value("loaded credentials", cred)
	lc.value("loaded credentials value", *cred)
	lc.value("secret", cred.Secret)
	lc.value("robot credentials", harbor.RobotCredentials(rc, created))
	bot, err := harbor.NewClient(srv.URL, with(harbor.WithCredentialsFile(credPath))...)
	require.NoError(t, err)
	lc.value("robot client", bot)
	botWho, err := bot.Whoami(ctx)
	require.NoError(t, err)
	lc.value("robot identity", botWho)

	badFiles := map[string]string{
		"truncated":          `{"name":"robot$x","secret":"` + canary,
		"truncated after":    `{"name":"robot$x","secret":"` + canary + `",`,
		"no name":            `{"secret":"` + canary + `"}`,
		"name not string":    `{"name":7,"secret":"` + canary + `"}`,
		"secret not string":  `{"name":"robot$x","secret":["` + canary + `"]}`,
		"secret in time":     `{"name":"robot$x","secret":"` + canary + `","creation_time":"` + canary + `"}`,
		"secret in id":       `{"name":"robot$x","secret":"` + canary + `","id":"` + canary + `"}`,
		"bad char in secret": "{\"name\":\"robot$x\",\"secret\":\"" + canary + "\x01\"}",
		"bare secret":        canary,
		"secret then junk":   `{"name":"robot$x","secret":"` + canary + `"} ` + canary,
	}
	for name, content := range badFiles {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".json")
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		_, err := harbor.NewClient(srv.URL, harbor.WithCredentialsFile(p))
		lc.err(t, "credentials file "+name, err)
		_, err = admin.RotateCredentialsFile(ctx, p, canary)
		lc.err(t, "rotate file "+name, err)
	}
	_, err = harbor.NewClient(srv.URL, harbor.WithCredentialsFile(dir))
	lc.err(t, "credentials file is a directory", err)
	_, err = harbor.NewClient(srv.URL, harbor.WithCredentialsFile(filepath.Join(dir, "missing.json")))
	lc.err(t, "credentials file missing", err)

	// --- Environment -------------------------------------------------------
	t.Setenv(harbor.EnvURL, srv.URL)
	t.Setenv(harbor.EnvPassword, canary)
	_, err = harbor.NewClientFromEnv()
	lc.err(t, "env password without user", err)
	t.Setenv(harbor.EnvCredentialsFile, filepath.Join(dir, "truncated.json"))
	_, err = harbor.NewClientFromEnv()
	lc.err(t, "env bad credentials file", err)
	t.Setenv(harbor.EnvCredentialsFile, "")
	t.Setenv(harbor.EnvUsername, "admin")
	t.Setenv(harbor.EnvURL, "https://admin:"+canary+"@harbor.example.com")
	_, err = harbor.NewClientFromEnv()
	lc.err(t, "env URL with password", err)
	t.Setenv(harbor.EnvURL, srv.URL)
	envClient, err := harbor.NewClientFromEnv(common...)
	require.NoError(t, err)
	lc.value("env client", envClient)

	// --- CreateRobot ---------------------------------------------------------
	invalid := map[string]*models.RobotCreate{
		"bad name":    {Name: "Bad Name", Level: harbor.LevelSystem, Duration: 30, Secret: canary, Permissions: rc.Permissions},
		"prefix name": {Name: "robot$x", Level: harbor.LevelSystem, Duration: 30, Secret: canary, Permissions: rc.Permissions},
		"bad level":   {Name: "x", Level: "galaxy", Duration: 30, Secret: canary, Permissions: rc.Permissions},
		"no perms":    {Name: "x", Level: harbor.LevelSystem, Duration: 30, Secret: canary},
		"weak secret": {Name: "x", Level: harbor.LevelSystem, Duration: 30, Secret: weakCanary, Permissions: rc.Permissions},
	}
	for name, r := range invalid {
		_, err := admin.CreateRobot(ctx, r)
		lc.err(t, "CreateRobot "+name, err)
		lc.value("ValidateRobot "+name, harbor.ValidateRobot(r))
	}
	lc.value("ValidateRobotSecret", harbor.ValidateRobotSecret(weakCanary))
	withSecret := func(name string) *models.RobotCreate {
		r := harbor.SystemRobot(name, 30, harbor.Allow(harbor.ResourceProject, harbor.ActionCreate))
		r.Secret = canary
		return r
	}
	unknownPerm := withSecret("fly")
	unknownPerm.Permissions[0].Access = append(unknownPerm.Permissions[0].Access, harbor.Allow("nonsense", "fly"))
	_, err = admin.CreateRobot(ctx, unknownPerm, harbor.CheckPermissions())
	lc.err(t, "CreateRobot unknown permission", err)
	_, err = admin.CreateRobot(ctx, withSecret("exists"), harbor.SaveCredentials(credPath))
	lc.err(t, "CreateRobot existing file", err)
	_, err = admin.CreateRobot(ctx, withSecret("canary-bot"))
	lc.err(t, "CreateRobot conflict", err)

	savePath := filepath.Join(dir, "unsaved.json")
	harbor.SetBeforeSaveHook(admin, func() { _ = os.Mkdir(savePath, 0o700) })
	unsaved, err := admin.CreateRobot(ctx, withSecret("unsaved"), harbor.SaveCredentials(savePath))
	harbor.SetBeforeSaveHook(admin, nil)
	lc.err(t, "CreateRobot save fails", err)
	var inc *harbor.RobotIncompleteError
	require.ErrorAs(t, err, &inc)
	lc.value("RobotIncompleteError", inc)
	lc.value("RobotIncompleteError value", *inc)
	require.NotNil(t, unsaved)
	lc.value("credentials of the unsaved robot", harbor.RobotCredentials(withSecret("unsaved"), unsaved))

	srv.FailNext(1, http.StatusInternalServerError, harbortest.OnMethod("PATCH"))
	_, err = admin.CreateRobot(ctx, withSecret("unpatched"))
	assert.ErrorIs(t, lc.err(t, "CreateRobot chosen secret refused", err), harbor.ErrRobotIncomplete)

	srv.CutNext(1, harbortest.OnMethod("POST"), harbortest.OnPath("/api/v2.0/robots"), harbortest.AfterApply())
	_, err = admin.CreateRobot(ctx, withSecret("cut"))
	assert.ErrorIs(t, lc.err(t, "CreateRobot cut", err), harbor.ErrOutcomeUnknown)

	// --- Harbor's refusals: 401, 403, 500, and retries -------------------------
	wrong, err := harbor.NewClient(srv.URL, with(harbor.WithBasicAuth("admin", "Wrong-"+canary))...)
	require.NoError(t, err)
	lc.value("wrong client", wrong)
	_, err = wrong.Whoami(ctx)
	assert.ErrorIs(t, lc.err(t, "Whoami wrong password", err), harbor.ErrUnauthorized)
	_, err = wrong.CreateRobot(ctx, withSecret("nope"))
	lc.err(t, "CreateRobot wrong password", err)
	_, err = wrong.API().Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "p"}))
	lc.err(t, "CreateProject wrong password", err)
	_, err = wrong.RefreshRobotSecret(ctx, created.ID, canary)
	lc.err(t, "RefreshRobotSecret wrong password", err)
	_, err = wrong.RotateCredentialsFile(ctx, credPath, canary)
	lc.err(t, "RotateCredentialsFile wrong password", err)
	weakBot, err := harbor.NewClient(srv.URL, with(harbor.WithBasicAuth(created.Name, weakCanary))...)
	require.NoError(t, err)
	_, err = weakBot.Whoami(ctx)
	lc.err(t, "Whoami robot wrong secret", err)

	_, err = bot.CreateRobot(ctx, withSecret("by-robot"))
	assert.ErrorIs(t, lc.err(t, "CreateRobot by robot (403)", err), harbor.ErrForbidden)
	_, err = bot.API().Robot.ListRobot(ctx, robot.NewListRobotParams())
	assert.True(t, harbor.IsStatus(lc.err(t, "ListRobot by robot (403)", err), http.StatusForbidden))
	_, err = bot.FindRobot(ctx, "canary-bot")
	lc.err(t, "FindRobot by robot", err)

	srv.FailNext(1, http.StatusInternalServerError, harbortest.OnMethod("GET"))
	_, err = admin.API().Project.ListProjects(ctx, project.NewListProjectsParams())
	assert.True(t, harbor.IsStatus(lc.err(t, "500", err), http.StatusInternalServerError))
	srv.FailNext(2, http.StatusServiceUnavailable, harbortest.OnMethod("GET"), harbortest.WithRetryAfter("0"))
	_, err = admin.Whoami(ctx)
	require.NoError(t, err, "two 503s are retried")
	srv.FailNext(retry.MaxAttempts, http.StatusServiceUnavailable, harbortest.OnMethod("GET"))
	_, err = bot.Whoami(ctx)
	lc.err(t, "503 after retries", err)
	srv.CutNext(1, harbortest.OnMethod("GET"))
	_, err = bot.Whoami(ctx)
	require.NoError(t, err, "a cut GET is retried")

	// --- Refresh and rotate ----------------------------------------------------
	_, err = admin.RefreshRobotSecret(ctx, created.ID, weakCanary)
	assert.ErrorIs(t, lc.err(t, "RefreshRobotSecret weak", err), harbor.ErrInvalidRobot)
	_, err = admin.RefreshRobotSecret(ctx, 999999, canary)
	assert.ErrorIs(t, lc.err(t, "RefreshRobotSecret unknown robot", err), harbor.ErrNotFound)
	_, err = admin.RotateCredentialsFile(ctx, credPath, weakCanary)
	lc.err(t, "RotateCredentialsFile weak", err)
	_, err = admin.RotateCredentialsFile(ctx, filepath.Join(dir, "missing.json"), canary)
	lc.err(t, "RotateCredentialsFile missing", err)
	ghost := filepath.Join(dir, "ghost.json")
	require.NoError(t, credentials.Save(ghost, &credentials.Credentials{Name: "robot$ghost", Secret: credentials.NewSecret(canary)}))
	_, err = admin.RotateCredentialsFile(ctx, ghost, canary)
	lc.err(t, "RotateCredentialsFile unknown robot", err)
	ghostID := filepath.Join(dir, "ghost-id.json")
	id := int64(999999)
	require.NoError(t, credentials.Save(ghostID, &credentials.Credentials{Name: "robot$ghost", ID: &id, Secret: credentials.NewSecret(canary)}))
	_, err = admin.RotateCredentialsFile(ctx, ghostID, canary)
	lc.err(t, "RotateCredentialsFile unknown id", err)
	rotated, err := admin.RotateCredentialsFile(ctx, credPath, canary)
	require.NoError(t, err)
	lc.value("rotated secret", rotated)

	// --- Transport errors --------------------------------------------------------
	closed := harbortest.NewServer()
	closedURL := closed.URL
	closed.Close()
	down, err := harbor.NewClient(closedURL, with(harbor.WithBasicAuth("admin", canary))...)
	require.NoError(t, err)
	lc.err(t, "Ping refused", down.Ping(ctx))
	_, err = down.Whoami(ctx)
	lc.err(t, "Whoami refused", err)
	_, err = down.CreateRobot(ctx, withSecret("down"))
	lc.err(t, "CreateRobot refused", err)
	_, err = down.RotateCredentialsFile(ctx, credPath, canary)
	lc.err(t, "RotateCredentialsFile refused", err)

	slow, err := harbor.NewClient(srv.URL, with(harbor.WithBasicAuth("admin", canary), harbor.WithTimeout(50*time.Millisecond))...)
	require.NoError(t, err)
	srv.SetLatency(300 * time.Millisecond)
	_, err = slow.Whoami(ctx)
	assert.ErrorIs(t, lc.err(t, "Whoami timeout", err), context.DeadlineExceeded)
	_, err = slow.CreateRobot(ctx, withSecret("slow"))
	lc.err(t, "CreateRobot timeout", err)
	srv.SetLatency(0)

	// --- Values logged by the application ------------------------------------------
	for _, v := range []any{admin, bot, cred, *cred, cred.Secret, inc, who, *who, retry, harbor.ErrorItem{Code: "X", Message: "m"}} {
		logger.Info("application log", "value", v)
		logger.Debug("application log", slog.Any("value", v))
	}

	stderr := stopCapture()
	lc.add("stderr", stderr)
	lc.add("JSON logs", jsonLogs.String())
	lc.add("text logs", textLogs.String())
	assert.Contains(t, jsonLogs.String(), `"msg":"harbor request"`, "debug logging was on")
	assert.Contains(t, textLogs.String(), "msg=\"harbor request\"", "debug logging was on")
	assert.Contains(t, textLogs.String(), "status=401", "the refusals were logged")
	assert.Contains(t, textLogs.String(), "attempt=3", "the retries were logged")
	lc.check(t, forbiddenForms("admin", created.Name))
}
