package harbor

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/harborkit/harbor-sdk-go/credentials"
)

// Option configures a Client at construction. An option given a bad value
// makes NewClient return an error naming the option.
type Option func(*config) error

type config struct {
	auth        *basicAuth // nil: anonymous
	httpClient  *http.Client
	tlsConfig   *tls.Config
	caFile      string
	insecure    bool
	timeout     time.Duration
	retry       RetryPolicy
	noRetry     bool
	userAgent   string
	logger      *slog.Logger
	robotPrefix string
	noSessions  bool
}

// basicAuth is the identity the client sends; %v never shows the secret.
type basicAuth struct {
	username string
	secret   credentials.Secret
}

func (b *basicAuth) String() string { return "basic auth for " + b.username }

// WithBasicAuth makes the client authenticate as user (a user, or a robot's
// full name such as "robot$ci") with the given password or robot secret.
// Default: anonymous access. An empty user, or one containing ':' or a
// control character (which basic auth cannot carry), is an error.
func WithBasicAuth(user, secret string) Option {
	return func(c *config) error {
		if err := checkUsername(user); err != nil {
			return fmt.Errorf("WithBasicAuth: %w", err)
		}
		c.auth = &basicAuth{username: user, secret: credentials.NewSecret(secret)}
		return nil
	}
}

// WithCredentials makes the client authenticate as the robot in cred (its
// Name and Secret). An empty name or secret, or a name WithBasicAuth would
// refuse, is an error.
func WithCredentials(cred credentials.Credentials) Option {
	return func(c *config) error {
		if cred.Name == "" || cred.Secret.Reveal() == "" {
			return errors.New("WithCredentials: the credentials' name or secret is empty")
		}
		if err := checkUsername(cred.Name); err != nil {
			return fmt.Errorf("WithCredentials: %w", err)
		}
		c.auth = &basicAuth{username: cred.Name, secret: cred.Secret}
		return nil
	}
}

// WithCredentialsFile makes the client authenticate as the robot whose
// credentials file (see package credentials) is at path, read once by
// NewClient; an unreadable or invalid file is an error naming it.
func WithCredentialsFile(path string) Option {
	return func(c *config) error {
		cred, err := credentials.Load(path)
		if err != nil {
			return fmt.Errorf("WithCredentialsFile: %w", err)
		}
		return WithCredentials(*cred)(c)
	}
}

// WithHTTPClient makes the client send its requests through hc's Transport
// (and use hc.Timeout as WithTimeout when that is not given); hc's cookie
// jar and redirect policy are not used. Default: a clone of
// http.DefaultTransport. TLS options combine with it only when hc.Transport
// is nil or an *http.Transport (cloned, not changed). A nil hc is an error.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("WithHTTPClient: client is nil")
		}
		c.httpClient = hc
		return nil
	}
}

// WithTLSConfig sets the TLS configuration (it is cloned). Default: Go's
// defaults with TLS 1.2 at least, the system's root CAs and verification on.
// A nil config is an error.
func WithTLSConfig(cfg *tls.Config) Option {
	return func(c *config) error {
		if cfg == nil {
			return errors.New("WithTLSConfig: config is nil")
		}
		c.tlsConfig = cfg.Clone()
		return nil
	}
}

// WithCACertFile trusts the PEM certificates in path in addition to the
// system's root CAs. A file that cannot be read or holds no certificate is
// an error naming it.
func WithCACertFile(path string) Option {
	return func(c *config) error {
		if _, err := loadCertPool(path); err != nil {
			return fmt.Errorf("WithCACertFile: %w", err)
		}
		c.caFile = path
		return nil
	}
}

// WithInsecureSkipVerify turns TLS certificate verification off, for tests
// against servers with throw-away certificates only. Default: on.
func WithInsecureSkipVerify() Option {
	return func(c *config) error {
		c.insecure = true
		return nil
	}
}

// WithTimeout bounds each request, retries and waits included. Default:
// the generated operations' per-call timeout only (30s, params.WithTimeout).
// A negative d is an error; 0 means none.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("WithTimeout: %v is negative", d)
		}
		c.timeout = d
		return nil
	}
}

// WithRetry sets the retry policy (see RetryPolicy; zero fields take their
// defaults). Default: DefaultRetryPolicy(). Negative values are an error.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		full, err := p.withDefaults()
		if err != nil {
			return fmt.Errorf("WithRetry: %w", err)
		}
		c.retry, c.noRetry = full, false
		return nil
	}
}

// WithoutRetry turns retries off: every request is sent once. Default:
// retries on, see DefaultRetryPolicy.
func WithoutRetry() Option {
	return func(c *config) error {
		c.noRetry = true
		return nil
	}
}

// WithUserAgent sets the User-Agent header. Default:
// "harbor-sdk-go/<SDKVersion>". An empty value, or one with a control
// character (which would make every request fail), is an error.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if ua == "" {
			return errors.New("WithUserAgent: user agent is empty")
		}
		if i := strings.IndexFunc(ua, unicode.IsControl); i >= 0 {
			r, _ := utf8.DecodeRuneInString(ua[i:])
			return fmt.Errorf("WithUserAgent: user agent contains the control character %q at byte %d", r, i)
		}
		c.userAgent = ua
		return nil
	}
}

// WithLogger makes the client log one debug record per request attempt
// (method, path, status, duration, request id, attempt, error), never a
// header value or body. Default: no logging. A nil logger is an error.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("WithLogger: logger is nil")
		}
		c.logger = l
		return nil
	}
}

// WithRobotNamePrefix sets the robot name prefix FindRobot and friends use
// instead of asking the server (see RobotNamePrefix).
func WithRobotNamePrefix(prefix string) Option {
	return func(c *config) error {
		if prefix == "" {
			return errors.New("WithRobotNamePrefix: prefix is empty")
		}
		c.robotPrefix = prefix
		return nil
	}
}

// WithoutSessions makes a client built with a user's basic auth send it on
// every request instead of logging in once (docs/sessions.md), which costs
// Harbor a password hash (about 170 ms of CPU) per request. Default:
// sessions for users; robots always use basic auth.
func WithoutSessions() Option {
	return func(c *config) error {
		c.noSessions = true
		return nil
	}
}

// checkUsername refuses a user name HTTP basic auth cannot carry.
func checkUsername(user string) error {
	switch {
	case user == "":
		return errors.New("user is empty")
	case strings.Contains(user, ":"):
		// "admin:password" pasted as the user: never quote what follows ':'.
		name, _, _ := strings.Cut(user, ":")
		return fmt.Errorf("user %q contains ':' (what follows it is not shown), which basic auth uses to end the user name", name+":...")
	case strings.IndexFunc(user, unicode.IsControl) >= 0:
		return fmt.Errorf("user %q contains a control character", user) // %q escapes it
	}
	return nil
}

func loadCertPool(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading CA certificates: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no PEM certificate found", path)
	}
	return pool, nil
}
