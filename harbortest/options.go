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

// WithTLS serves HTTPS with a self-signed certificate (see Server.HTTPClient).
func WithTLS() Option { return func(c *config) { c.tls = true } }

// WithAddress listens on addr (":8080") instead of a random loopback port; "" is an error.
func WithAddress(addr string) Option {
	return option(addr == "", "WithAddress: address is empty", func(c *config) { c.addr = addr })
}

// WithRobotNamePrefix sets robot_name_prefix (default "robot$"); "" is an error.
func WithRobotNamePrefix(p string) Option {
	return option(p == "", "WithRobotNamePrefix: prefix is empty", func(c *config) { c.robotPrefix = p })
}

// WithAdminPassword sets admin's password (default "Harbor12345"); "" is an error.
func WithAdminPassword(pw string) Option {
	return option(pw == "", "WithAdminPassword: password is empty", func(c *config) { c.adminPassword = pw })
}

// WithClock replaces time.Now (creation times, robot and session expiry,
// current_time); it must be safe for concurrent use, and nil is an error.
func WithClock(now func() time.Time) Option {
	return option(now == nil, "WithClock: clock is nil", func(c *config) { c.clock = now })
}

// WithRequestLogLimit keeps only the last n requests for Requests (default
// all; cmd/harbortest bounds its memory so); a negative n is an error.
func WithRequestLogLimit(n int) Option {
	msg := fmt.Sprintf("WithRequestLogLimit(%d): the limit must be 0 or more", n)
	return option(n < 0, msg, func(c *config) { c.requestLog = n })
}

// option applies set, recording msg as the error of the first bad option.
func option(bad bool, msg string, set func(*config)) Option {
	return func(c *config) {
		if bad && c.err == nil {
			c.err = errors.New("harbortest: " + msg)
		}
		set(c)
	}
}
