package harbor_test

// Helpers of secrets_test.go, and the smaller secret tests.

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
	"github.com/harborkit/harbor-sdk-go/harbor"
)

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
