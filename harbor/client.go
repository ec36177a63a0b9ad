package harbor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/go-openapi/runtime"
	rtclient "github.com/go-openapi/runtime/client"

	"github.com/harborkit/harbor-sdk-go/gen/client"
)

// apiBasePath is where Harbor serves its v2.0 API.
const apiBasePath = "/api/v2.0"

// Client is a Harbor API client, safe for concurrent use; its connections,
// retry budget and settings are shared by every call, API()'s included.
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

// NewClient returns a client for the Harbor at baseURL: a bare host
// (https is then assumed) or an http or https URL, with or without the
// "/api/v2.0" suffix. A URL with another scheme, a query, a fragment or user
// info, or one that does not parse, is refused with an error that quotes it.
// Without an authentication option the client is anonymous. TLS is verified
// unless WithInsecureSkipVerify. Credentials go only to baseURL's scheme,
// host and port; a redirect elsewhere is refused with an error naming both.
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
	rt.Debug = false // not from SWAGGER_DEBUG/DEBUG: dumps show Authorization
	rt.Jar = nil
	rt.Transport = hc.Transport
	rt.SetResponseReader(newResponse)
	// CSV exports and anything unknown byte for byte (not re-encoded).
	rt.Consumers[runtime.CSVMime] = runtime.ByteStreamConsumer()
	rt.Consumers["*/*"] = runtime.ByteStreamConsumer()
	sub := &submitter{rt: rt, hc: hc, timeout: cfg.timeout, auth: auth, userAgent: []string{cfg.userAgent}}
	return &Client{api: newAPI(sub), submit: sub, baseURL: u, auth: cfg.auth, prefix: cfg.robotPrefix,
		opts: slices.Clone(opts)}, nil
}

// With returns a new client for the same Harbor with the same options plus
// opts, which win, e.g. admin.With(harbor.WithCredentialsFile("robot.json")).
// It has its own connections and retry budget. Errors are NewClient's.
func (c *Client) With(opts ...Option) (*Client, error) {
	all := append(slices.Clone(c.opts), opts...)
	return NewClient(c.baseURL.String(), all...)
}

// API returns the generated client with every Harbor operation, wired with
// this client's settings; its errors are *Error as every call's.
// params.HTTPClient is not supported (the call fails before any request).
// Generated models print every field: %+v of a *models.RobotCreated or
// *models.RobotSec shows the secret; print the name and id only.
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

// Format prints String for every verb, so no fmt output shows the secret.
func (c *Client) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", c.String())
		return
	}
	_, _ = io.WriteString(f, c.String())
}

// checkContext refuses a nil ctx before any work, as
// http.NewRequestWithContext does, naming the method that was given it.
func checkContext(ctx context.Context, method string) error {
	if ctx == nil {
		return errors.New("harbor: " + method + ": ctx is nil (use context.Background() or context.TODO())")
	}
	return nil
}

// checkSegments refuses an argument that goes into the URL path as one
// segment and is empty, "." or "..": it would name another resource. names
// and values go in pairs; method, when not "", names the call.
func checkSegments(method string, pairs ...string) error {
	prefix := "harbor: "
	if method != "" {
		prefix += method + ": "
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		switch name, v := pairs[i], pairs[i+1]; v {
		case "":
			return errors.New(prefix + name + " is empty")
		case ".", "..":
			return errors.New(prefix + name + " " + strconv.Quote(v) + " is a dot segment: it would name another path")
		}
	}
	return nil
}
