package harbor

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net/http"
)

// newHTTPClient assembles the chain every request of a Client goes
// through, outermost first (each layer in its own file):
//
//	headers   credentials to the origin only (origin.go), request id, user agent
//	retry     idempotent methods, backoff, Retry-After, budget (retry.go)
//	logging   one record per attempt (logging.go)
//	body      bodies drained on close for keep-alive (body.go)
//	base      *http.Transport with the TLS options
//
// The http.Client has no cookie jar and refuses redirects that leave the
// origin (origin.go). Errors are converted above it, in submit.go.
func newHTTPClient(cfg *config, o origin, creds *clientAuth) (*http.Client, error) {
	base, err := baseTransport(cfg)
	if err != nil {
		return nil, err
	}
	var rt http.RoundTripper = bodyTransport{next: base}
	if cfg.logger != nil {
		rt = &loggingTransport{next: rt, logger: cfg.logger}
	}
	if !cfg.noRetry {
		rt = &retryTransport{next: rt, r: newRetryer(cfg.retry)}
	}
	rt = &headerTransport{next: rt, origin: o, creds: creds, userAgent: []string{cfg.userAgent}}
	return &http.Client{Transport: rt, CheckRedirect: o.checkRedirect}, nil
}

const headerRequestID = "X-Request-Id"

// headerTransport sends each request with a copy of its headers (a
// RoundTripper must not change its caller's request) holding the
// credentials for the origin, a request id when it has none and the user
// agent, and without cookies: Harbor refuses writes that carry a session
// cookie without a CSRF token.
type headerTransport struct {
	next      http.RoundTripper
	origin    origin
	creds     *clientAuth
	userAgent []string // shared and never changed, like creds.header
}

func (t *headerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := *req
	r.Header = req.Header.Clone()
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	t.creds.authorize(r.Header, t.origin, r.URL)
	if r.Header.Get(headerRequestID) == "" {
		r.Header[headerRequestID] = []string{newRequestID()}
	}
	r.Header["User-Agent"] = t.userAgent
	delete(r.Header, "Cookie")
	return t.next.RoundTrip(&r)
}

// newRequestID returns a random (version 4) UUID.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	hex.Encode(out[9:13], b[4:6])
	hex.Encode(out[14:18], b[6:8])
	hex.Encode(out[19:23], b[8:10])
	hex.Encode(out[24:], b[10:])
	out[8], out[13], out[18], out[23] = '-', '-', '-', '-'
	return string(out[:])
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
