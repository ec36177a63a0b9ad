package harbor_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// No secret anywhere: a recognisable canary is used as the admin password,
// a robot's chosen secret and a credentials file's secret, every path that
// can fail is driven with it, and every error text (the whole chain), every
// log record (slog JSON and text handlers at debug level, plus stderr with
// go-openapi's DEBUG switches on) and the %v, %+v and %#v forms of every
// exported value involved are searched for it.

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

// Helpers of secrets_test.go, and the smaller secret tests.

const (
	canary     = "Zq9-SECRET-Canary-7Yx"
	weakCanary = "zq9-secret-canary-weak" // no upper case: Harbor refuses it as a robot secret
)

// leakCollector gathers every text the SDK produced during a test.
type leakCollector struct {
	mu    sync.Mutex
	texts []string // "what: text"
}

func (c *leakCollector) add(what, text string) {
	c.mu.Lock()
	c.texts = append(c.texts, what+": "+text)
	c.mu.Unlock()
}

// value records v printed with %v, %+v, %#v, %s, %q and %x; for an error,
// every error of its chain too (Unwrap() error and Unwrap() []error). A
// *harbor.Client is not printed with %s and %q: they reveal the secret, see
// TestClientFormatNeverRevealsSecret.
func (c *leakCollector) value(what string, v any) {
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x"}
	if _, isClient := v.(*harbor.Client); isClient {
		verbs = []string{"%v", "%+v", "%#v", "%x", "%d"}
	}
	for _, verb := range verbs {
		c.add(what+" "+verb, fmt.Sprintf(verb, v))
	}
	if err, ok := v.(error); ok && err != nil {
		c.errorChain(what, err, 0)
	}
}

func (c *leakCollector) errorChain(what string, err error, depth int) {
	if err == nil || depth > 20 {
		return
	}
	c.add(fmt.Sprintf("%s (chain %d, %T)", what, depth, err), err.Error()+" | "+fmt.Sprintf("%#v", err))
	if he, ok := harbor.AsError(err); ok {
		c.add(what+" (AsError)", fmt.Sprintf("%v | %+v | %#v", he, *he, he))
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		c.errorChain(what, u.Unwrap(), depth+1)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			c.errorChain(what, e, depth+1)
		}
	}
}

// err records a non-nil error and returns it.
func (c *leakCollector) err(t *testing.T, what string, err error) error {
	t.Helper()
	if err == nil {
		t.Errorf("%s: expected an error", what)
		return nil
	}
	c.value(what, err)
	return err
}

// check asserts that no collected text holds any of the forbidden forms.
func (c *leakCollector) check(t *testing.T, forbidden []string) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	require.NotEmpty(t, c.texts)
	for _, text := range c.texts {
		for _, f := range forbidden {
			if strings.Contains(text, f) {
				t.Errorf("secret form %q found in %s", f, text)
			}
		}
	}
}

// forbiddenForms are the canaries as given and as an Authorization header
// would carry them for each user.
func forbiddenForms(users ...string) []string {
	forms := []string{canary, weakCanary, "Authorization: Basic", hex.EncodeToString([]byte(canary)), hex.EncodeToString([]byte(weakCanary))}
	for _, u := range users {
		for _, s := range []string{canary, weakCanary, "Wrong-" + canary} {
			forms = append(forms, base64.StdEncoding.EncodeToString([]byte(u+":"+s)))
		}
	}
	return forms
}

// captureStderr redirects os.Stderr and the log package to a buffer until
// the returned function is called; it then copies what was captured to the
// real stderr and returns it.
func captureStderr(t *testing.T) func() string {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	oldStderr, oldLog := os.Stderr, log.Writer()
	os.Stderr = w
	log.SetOutput(w)
	var buf bytes.Buffer
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(&buf, r)
		close(done)
	}()
	var once sync.Once
	var out string
	stop := func() string {
		once.Do(func() {
			os.Stderr = oldStderr
			log.SetOutput(oldLog)
			_ = w.Close()
			<-done
			_ = r.Close()
			out = buf.String()
			_, _ = oldStderr.WriteString(out)
		})
		return out
	}
	t.Cleanup(func() { stop() })
	return stop
}

// A password written in the URL's user info must never appear in
// NormalizeURL's (and so NewClient's and NewClientFromEnv's) errors.
// NormalizeURL redacts it only on the "user info is not allowed" path, and
// only when the user info is written as url.UserPassword would escape it.
func TestNormalizeURLErrorNeverRevealsPassword(t *testing.T) {
	for _, u := range []string{
		"ftp://admin:" + canary + "@h",
		"https://admin:" + canary + "@h:badport",
		"https://admin:" + canary + "@h/%zz",
		"https://admin:" + canary + "@[::1",
		"https://admin:" + canary + " @h",
		"https://admin:" + strings.ReplaceAll(canary, "-", "%2D") + "@h",
	} {
		_, err := harbor.NormalizeURL(u)
		require.Error(t, err, u)
		assert.NotContains(t, err.Error(), canary)
		assert.NotContains(t, err.Error(), strings.ReplaceAll(canary, "-", "%2D"))
		_, err = harbor.NewClient(u)
		require.Error(t, err, u)
		assert.NotContains(t, err.Error(), canary)
		assert.NotContains(t, err.Error(), strings.ReplaceAll(canary, "-", "%2D"))
	}
}

// The secret sits in an unexported field (Client.auth, a *basicAuth holding
// a credentials.Secret). fmt cannot call Secret's Format on an unexported
// field, and for a verb that does not suit a pointer field (%s, %q) it
// prints the pointed-to struct raw: fmt.Sprintf("%s", client) shows
// &{admin {<secret>}}. %v, %+v, %#v, %x and %d print the pointer only.
func TestClientFormatNeverRevealsSecret(t *testing.T) {
	c, err := harbor.NewClient("https://harbor.example.com", harbor.WithBasicAuth("admin", canary))
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%+s", "%q", "%x", "%d", "%10s", "%T"} {
		assert.NotContains(t, fmt.Sprintf(verb, c), canary, verb)
	}
	var b bytes.Buffer
	slog.New(slog.NewTextHandler(&b, nil)).Info("client", "c", c)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("client", "c", c)
	for _, format := range []string{"client %s", "client %q"} {
		log.New(&b, "", 0).Printf(format, c)
	}
	assert.NotContains(t, b.String(), canary)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// teeHandler sends each record to every handler (slog.NewMultiHandler needs
// Go 1.26; the module supports 1.25).
type teeHandler []slog.Handler

func (h teeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	for _, x := range h {
		if x.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (h teeHandler) Handle(ctx context.Context, r slog.Record) error {
	var errs []error
	for _, x := range h {
		if x.Enabled(ctx, r.Level) {
			errs = append(errs, x.Handle(ctx, r.Clone()))
		}
	}
	return errors.Join(errs...)
}

func (h teeHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make(teeHandler, len(h))
	for i, x := range h {
		out[i] = x.WithAttrs(attrs)
	}
	return out
}

func (h teeHandler) WithGroup(name string) slog.Handler {
	out := make(teeHandler, len(h))
	for i, x := range h {
		out[i] = x.WithGroup(name)
	}
	return out
}

// leakURLsAndOptions drives NewClient and NormalizeURL with the canary in
// URLs and bad options (part of TestNoSecretAnywhere).
func leakURLsAndOptions(t *testing.T, lc *leakCollector, srvURL, dir string, retry harbor.RetryPolicy) {
	t.Helper()
	for _, u := range []string{
		"https://admin:" + canary + "@harbor.example.com",
		"admin:" + canary + "@harbor.example.com",
		"http://admin:" + canary + "@h/?q#f",
		"https://:" + canary + "@h",
		" https://admin:" + canary + "@harbor.example.com/api/v2.0 ",
	} {
		_, err := harbor.NewClient(u, harbor.WithBasicAuth("admin", canary))
		lc.err(t, "NewClient URL", err)
		_, err = harbor.NormalizeURL(u)
		lc.err(t, "NormalizeURL", err)
	}
	caFile := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(caFile, []byte("-----BEGIN CERTIFICATE-----\n"+canary+"\n-----END CERTIFICATE-----\n"), 0o600))
	badOptions := map[string][]harbor.Option{
		"empty user":          {harbor.WithBasicAuth("", canary)},
		"negative timeout":    {harbor.WithBasicAuth("admin", canary), harbor.WithTimeout(-time.Second)},
		"negative retry":      {harbor.WithBasicAuth("admin", canary), harbor.WithRetry(harbor.RetryPolicy{MaxAttempts: -1})},
		"negative delays":     {harbor.WithBasicAuth("admin", canary), harbor.WithRetry(harbor.RetryPolicy{BaseDelay: -1})},
		"empty user agent":    {harbor.WithBasicAuth("admin", canary), harbor.WithUserAgent("")},
		"nil logger":          {harbor.WithBasicAuth("admin", canary), harbor.WithLogger(nil)},
		"nil http client":     {harbor.WithBasicAuth("admin", canary), harbor.WithHTTPClient(nil)},
		"nil tls config":      {harbor.WithBasicAuth("admin", canary), harbor.WithTLSConfig(nil)},
		"empty prefix":        {harbor.WithBasicAuth("admin", canary), harbor.WithRobotNamePrefix("")},
		"CA file not PEM":     {harbor.WithBasicAuth("admin", canary), harbor.WithCACertFile(caFile)},
		"CA file missing":     {harbor.WithBasicAuth("admin", canary), harbor.WithCACertFile(filepath.Join(dir, "nope.pem"))},
		"credentials no name": {harbor.WithCredentials(credentials.Credentials{Secret: credentials.NewSecret(canary)})},
		"TLS on custom transport": {harbor.WithBasicAuth("admin", canary), harbor.WithInsecureSkipVerify(),
			harbor.WithHTTPClient(&http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("unused") })})},
	}
	for name, opts := range badOptions {
		_, err := harbor.NewClient(srvURL, opts...)
		lc.err(t, "NewClient option "+name, err)
		for i, o := range opts {
			lc.value(fmt.Sprintf("option %s #%d", name, i), o)
		}
	}
	for _, p := range []harbor.RetryPolicy{harbor.DefaultRetryPolicy(), retry} {
		lc.value("retry policy", p)
	}
}
