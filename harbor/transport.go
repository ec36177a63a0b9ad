package harbor

import (
	"crypto/tls"
	"fmt"
	"net/http"
)

// newHTTPClient assembles the chain every request of a Client goes
// through, outermost first (each layer in its own file):
//
//	redirects  followed within the origin only (origin.go)
//	session    a user's session in place of basic auth (session.go)
//	retry      idempotent methods, backoff, Retry-After, budget (retry.go)
//	logging    one record per attempt (logging.go)
//	body       short answers to idempotent requests read whole (body.go)
//	base       *http.Transport with the TLS options
//
// Above it, submit.go sets each request's headers (credentials, request
// id, user agent) and converts every error once. The http.Client has no
// cookie jar: the session layer sends Harbor's cookies itself, to the
// origin only.
func newHTTPClient(cfg *config, o origin, auth *clientAuth) (*http.Client, error) {
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
	if auth.session != nil {
		auth.session.next = rt
		rt = auth.session
	}
	return &http.Client{Transport: rt, CheckRedirect: o.checkRedirect}, nil
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
// idle connections per host for concurrent listings (Concurrency) (net/http keeps 2).
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 32
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return t
}
