package harbor

import (
	"cmp"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/go-openapi/runtime"
	rtclient "github.com/go-openapi/runtime/client"

	"github.com/harborkit/harbor-sdk-go/gen/client"
)

// apiBasePath is where Harbor serves its v2.0 API.
const apiBasePath = "/api/v2.0"

// Client is a Harbor API client. Create one with NewClient or
// NewClientFromEnv; it is safe for concurrent use, and its connections,
// retry budget and settings are shared by every call made through it,
// including those through API().
type Client struct {
	api      *client.HarborAPI
	submit   *submitter
	baseURL  *url.URL
	auth     *basicAuth
	prefix   string
	prefixMu sync.Mutex

	opts []Option // as given to NewClient, for With

	beforeSave func() // test seam: runs between creating a robot and saving it
}

// NewClient returns a client for the Harbor at baseURL.
//
// baseURL may be a bare host ("harbor.example.com", https is then assumed),
// a URL with scheme http or https, with or without a trailing slash and
// with or without the "/api/v2.0" suffix; all end up at
// <scheme>://<host>[/<prefix>]/api/v2.0. A URL with another scheme, a query,
// a fragment or user info, or one that does not parse, is refused with an
// error that quotes it. Without an authentication option the client is
// anonymous. TLS certificates are verified unless WithInsecureSkipVerify is
// given. Credentials are sent only to baseURL's scheme, host and port; a
// redirect elsewhere (https to http on the same host included) is refused
// with an error naming both URLs.
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	u, err := normalizeURL(baseURL)
	if err != nil {
		return nil, err
	}
	cfg := config{retry: DefaultRetryPolicy(), userAgent: "harbor-sdk-go/" + SDKVersion}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("harbor: NewClient: %w", err)
		}
	}
	if cfg.timeout == 0 && cfg.httpClient != nil {
		cfg.timeout = cfg.httpClient.Timeout
	}
	auth := newClientAuth(cfg.auth)
	if cfg.auth != nil && !cfg.noSessions && !strings.HasPrefix(cfg.auth.username, cmp.Or(cfg.robotPrefix, "robot$")) {
		auth.session = &session{origin: newOrigin(u), base: u.Scheme + "://" + u.Host + strings.TrimSuffix(u.Path, apiBasePath),
			auth: cfg.auth, header: auth.header[0], userAgent: cfg.userAgent}
	}
	hc, err := newHTTPClient(&cfg, newOrigin(u), auth)
	if err != nil {
		return nil, fmt.Errorf("harbor: NewClient: %w", err)
	}
	rt := rtclient.New(u.Host, u.Path, []string{u.Scheme})
	// The runtime turns wire dumps (Authorization headers included) on from
	// SWAGGER_DEBUG/DEBUG in the environment; a library must not.
	rt.Debug = false
	rt.Jar = nil
	rt.Transport = hc.Transport
	rt.SetResponseReader(newResponse)
	// CSV exports and anything unknown are copied byte for byte (go-openapi's
	// CSV consumer would re-encode the records).
	rt.Consumers[runtime.CSVMime] = runtime.ByteStreamConsumer()
	rt.Consumers["*/*"] = runtime.ByteStreamConsumer()
	sub := &submitter{rt: rt, hc: hc, timeout: cfg.timeout, auth: auth, userAgent: []string{cfg.userAgent}}
	return &Client{api: newAPI(sub), submit: sub, baseURL: u, auth: cfg.auth, prefix: cfg.robotPrefix,
		opts: slices.Clone(opts)}, nil
}

// With returns a new client for the same Harbor with the same options (TLS,
// timeouts, retries, logging...) plus opts, which win: for example the same
// settings authenticating as a robot,
// admin.With(harbor.WithCredentialsFile("robot.json")). The new client has
// its own connections and retry budget. Errors are NewClient's.
func (c *Client) With(opts ...Option) (*Client, error) {
	all := append(slices.Clone(c.opts), opts...)
	return NewClient(c.baseURL.String(), all...)
}

// API returns the generated client with every Harbor operation (all 38 API
// tags), wired with this client's base URL, authentication, TLS, retries
// and logging. Its errors are those of every call (see Error): errors.Is
// with ErrNotFound and the other sentinels works on them as returned.
// params.HTTPClient is not supported (the call fails before any request).
// Generated models print every field: %+v of the *models.RobotCreated of
// Robot.CreateRobot (or RefreshSec's *models.RobotSec) shows the secret;
// print the name and id only (a credentials.Secret prints redacted).
func (c *Client) API() *client.HarborAPI { return c.api }

// BaseURL returns the normalised API base URL, e.g. https://harbor.example.com/api/v2.0.
func (c *Client) BaseURL() string { return c.baseURL.String() }

// Username returns the user or robot name the client authenticates as, or
// "" for an anonymous client.
func (c *Client) Username() string {
	if c.auth == nil {
		return ""
	}
	return c.auth.username
}

// String describes the client by its URL and user, never its secret.
func (c *Client) String() string {
	who := "anonymous"
	if c.auth != nil {
		who = "as " + c.auth.username
	}
	return "harbor.Client(" + c.baseURL.String() + ", " + who + ")"
}

// Format prints String for every verb, so no form of fmt output (%s, %q,
// %#v, ...) reaches the client's fields and the secret in them.
func (c *Client) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", c.String())
		return
	}
	_, _ = io.WriteString(f, c.String())
}
