package harbortest

import "time"

// Option configures a Server created by NewServer.
type Option func(*config)

type config struct {
	tls           bool
	robotPrefix   string
	adminPassword string
	clock         func() time.Time
}

// WithTLS serves over HTTPS with an httptest self-signed certificate.
// Use Server.HTTPClient, Server.Certificate or Server.CertPEM to trust it.
func WithTLS() Option { return func(c *config) { c.tls = true } }

// WithRobotNamePrefix sets the robot name prefix (Harbor's robot_name_prefix
// setting). The default is "robot$".
func WithRobotNamePrefix(p string) Option { return func(c *config) { c.robotPrefix = p } }

// WithAdminPassword sets the password of the "admin" user (default "Harbor12345").
func WithAdminPassword(pw string) Option { return func(c *config) { c.adminPassword = pw } }

// WithClock replaces time.Now for creation times, robot expiry and
// systeminfo's current_time. The function must be safe for concurrent use.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }
