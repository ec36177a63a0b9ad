package harbortest

import (
	"errors"
	"fmt"
	"time"
)

// Option configures a Server created by NewServer, Start or New.
type Option func(*config)

type config struct {
	err           error // the first invalid option
	addr          string
	tls           bool
	robotPrefix   string
	adminPassword string
	clock         func() time.Time
	requestLog    int // requests kept in the log; -1 (the default): all
}

// WithTLS serves over HTTPS with an httptest self-signed certificate.
// Use Server.HTTPClient, Server.Certificate or Server.CertPEM to trust it.
func WithTLS() Option { return func(c *config) { c.tls = true } }

// WithAddress listens on addr ("127.0.0.1:8080", ":8080") instead of a
// random loopback port. The default is "127.0.0.1:0". An empty addr is an
// error; an address in use makes Start fail (NewServer panics).
func WithAddress(addr string) Option {
	return func(c *config) {
		if addr == "" {
			c.fail(errors.New("harbortest: WithAddress: address is empty"))
		}
		c.addr = addr
	}
}

// WithRobotNamePrefix sets the initial robot name prefix (Harbor's
// robot_name_prefix setting; PUT /configurations changes it). The default is
// "robot$". An empty prefix is an error.
func WithRobotNamePrefix(p string) Option {
	return func(c *config) {
		if p == "" {
			c.fail(errors.New("harbortest: WithRobotNamePrefix: prefix is empty"))
		}
		c.robotPrefix = p
	}
}

// WithAdminPassword sets the password of the "admin" user (default
// "Harbor12345"). An empty password is an error.
func WithAdminPassword(pw string) Option {
	return func(c *config) {
		if pw == "" {
			c.fail(errors.New("harbortest: WithAdminPassword: password is empty"))
		}
		c.adminPassword = pw
	}
}

// WithClock replaces time.Now for creation times, robot expiry, session
// expiry (session_timeout) and systeminfo's current_time. The function must be safe for concurrent use;
// nil is an error.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			c.fail(errors.New("harbortest: WithClock: clock is nil"))
		}
		c.clock = now
	}
}

// WithRequestLogLimit keeps only the last n requests in the request log
// (Requests); 0 keeps none. The default keeps every request, which suits a
// test; a long-running server (cmd/harbortest) bounds its memory with it. A
// negative n is an error.
func WithRequestLogLimit(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.fail(fmt.Errorf("harbortest: WithRequestLogLimit(%d): the limit must be 0 or more", n))
		}
		c.requestLog = n
	}
}

func (c *config) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}
