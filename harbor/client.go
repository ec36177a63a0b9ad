package harbor

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

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
	rt       *rtclient.Runtime
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
// given.
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	u, err := NormalizeURL(baseURL)
	if err != nil {
		return nil, err
	}
	cfg := config{retry: DefaultRetryPolicy(), userAgent: "harbor-sdk-go/" + SDKVersion}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("harbor.NewClient: %w", err)
		}
	}
	if cfg.timeout == 0 && cfg.httpClient != nil {
		cfg.timeout = cfg.httpClient.Timeout
	}
	base, err := baseTransport(&cfg)
	if err != nil {
		return nil, fmt.Errorf("harbor.NewClient: %w", err)
	}
	var r *retryer
	if !cfg.noRetry {
		r = newRetryer(cfg.retry)
	}
	var rt http.RoundTripper = newTransport(base, r, cfg.logger, cfg.userAgent)
	if cfg.timeout > 0 {
		rt = &timeoutTransport{next: rt, timeout: cfg.timeout}
	}

	var auth runtime.ClientAuthInfoWriter
	if cfg.auth != nil {
		auth = rtclient.BasicAuth(cfg.auth.username, cfg.auth.secret.Reveal())
	}
	api := client.New(client.Config{URL: u, Transport: rt, AuthInfo: auth})
	runtimeClient, ok := api.Transport.(*rtclient.Runtime)
	if !ok {
		return nil, errors.New("harbor.NewClient: generated client has an unexpected transport")
	}
	// The runtime turns wire dumps (Authorization headers included) on from
	// SWAGGER_DEBUG/DEBUG in the environment; a library must not.
	runtimeClient.Debug = false
	runtimeClient.Jar = nil
	runtimeClient.SetResponseReader(newKeptResponse)
	runtimeClient.Consumers[runtime.JSONMime] = jsonConsumer()
	runtimeClient.Consumers["*/*"] = runtime.ByteStreamConsumer()
	for mt, cons := range runtimeClient.Consumers {
		runtimeClient.Consumers[mt] = errorBodyTolerant(cons)
	}
	return &Client{api: api, rt: runtimeClient, baseURL: u, auth: cfg.auth, prefix: cfg.robotPrefix,
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
// and logging. Turn its errors into *Error with AsError.
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

// baseTransport builds the innermost RoundTripper with the TLS options.
func baseTransport(cfg *config) (http.RoundTripper, error) {
	tlsWanted := cfg.tlsConfig != nil || cfg.caFile != "" || cfg.insecure
	base := defaultTransport()
	if cfg.httpClient != nil && cfg.httpClient.Transport != nil {
		t, ok := cfg.httpClient.Transport.(*http.Transport)
		if !ok {
			if tlsWanted {
				return nil, fmt.Errorf("TLS options need WithHTTPClient's Transport to be an *http.Transport, not %T", cfg.httpClient.Transport)
			}
			return cfg.httpClient.Transport, nil
		}
		if !tlsWanted {
			return t, nil
		}
		base = t.Clone()
	}
	if !tlsWanted {
		return base, nil
	}
	tc := cfg.tlsConfig
	if tc == nil {
		if base.TLSClientConfig != nil {
			tc = base.TLSClientConfig.Clone()
		} else {
			tc = &tls.Config{MinVersion: tls.VersionTLS12}
		}
	}
	if cfg.caFile != "" {
		pool, err := loadCertPool(cfg.caFile)
		if err != nil {
			return nil, err
		}
		tc.RootCAs = pool
	}
	if cfg.insecure {
		tc.InsecureSkipVerify = true
	}
	base.TLSClientConfig = tc
	return base, nil
}

// defaultTransport is a clone of http.DefaultTransport that keeps enough
// idle connections per host for Concurrent listings (net/http keeps 2).
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 32
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return t
}

// timeoutTransport bounds a whole request, retries and waits included.
type timeoutTransport struct {
	next    http.RoundTripper
	timeout time.Duration
}

func (t *timeoutTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	if _, buffered := resp.Body.(*bufferedBody); buffered {
		cancel()
	} else {
		resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	}
	return resp, nil
}

// cancelOnClose ends a streamed answer's deadline when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
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
