package harbor

import (
	"crypto/tls"
	"fmt"
	"net/http"
)

// newHTTPClient assembles the chain of a Client's requests, outermost first:
// redirects within the origin, session, retries, one log record per attempt,
// short bodies read whole, the base transport. It has no cookie jar: the
// session layer sends Harbor's cookies itself, to the origin only.
func newHTTPClient(cfg *config, o origin, auth *clientAuth) (*http.Client, error) {
	base, err := baseTransport(cfg)
	if err != nil {
		return nil, err
	}
	var rt http.RoundTripper = bodyTransport{next: base}
	if cfg.logger != nil {
		rt = &loggingTransport{next: rt, logger: cfg.logger, auth: auth}
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

// baseTransport builds the innermost RoundTripper with the TLS options: a
// clone of WithHTTPClient's *http.Transport, or of http.DefaultTransport
// keeping enough idle connections for concurrent listings (net/http keeps 2).
func baseTransport(cfg *config) (http.RoundTripper, error) {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = 32
	if hc := cfg.httpClient; hc != nil && hc.Transport != nil {
		t, ok := hc.Transport.(*http.Transport)
		switch {
		case cfg.tlsConfig == nil && cfg.caFile == "" && !cfg.insecure:
			return hc.Transport, nil
		case !ok:
			return nil, fmt.Errorf("TLS options need WithHTTPClient's Transport to be an *http.Transport, not %T", hc.Transport)
		}
		base = t.Clone()
	}
	tc := cfg.tlsConfig
	switch {
	case tc != nil:
	case base.TLSClientConfig != nil:
		tc = base.TLSClientConfig.Clone()
	default:
		tc = &tls.Config{MinVersion: tls.VersionTLS12}
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
