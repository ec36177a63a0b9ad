package harbor

import (
	"errors"
	"fmt"
	"os"
	"strconv"
)

// Environment variables read by NewClientFromEnv.
const (
	EnvURL             = "HARBOR_URL"              // the Harbor URL (required), any form NewClient accepts
	EnvUsername        = "HARBOR_USERNAME"         // user or robot name for basic auth (with HARBOR_PASSWORD)
	EnvPassword        = "HARBOR_PASSWORD"         // password or robot secret
	EnvCredentialsFile = "HARBOR_CREDENTIALS_FILE" // a robot credentials file (wins over USERNAME/PASSWORD)
	EnvCACert          = "HARBOR_CA_CERT"          // a PEM file of CA certificates to trust
	EnvInsecure        = "HARBOR_INSECURE"         // "true"/"1" turns TLS verification off
)

// NewClientFromEnv builds a client from the HARBOR_* environment variables
// listed with EnvURL; opts are applied after them, so they win. Errors name
// the variable at fault; a missing HARBOR_URL is an error.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	rawURL := os.Getenv(EnvURL)
	if rawURL == "" {
		return nil, errors.New("harbor: NewClientFromEnv: " + EnvURL + " is not set")
	}
	var envOpts []Option
	user, pass := os.Getenv(EnvUsername), os.Getenv(EnvPassword)
	switch {
	case os.Getenv(EnvCredentialsFile) != "":
		envOpts = append(envOpts, WithCredentialsFile(os.Getenv(EnvCredentialsFile)))
	case user != "":
		envOpts = append(envOpts, WithBasicAuth(user, pass))
	case pass != "":
		return nil, fmt.Errorf("harbor: NewClientFromEnv: %s is set but %s is not", EnvPassword, EnvUsername)
	}
	if ca := os.Getenv(EnvCACert); ca != "" {
		envOpts = append(envOpts, WithCACertFile(ca))
	}
	if v := os.Getenv(EnvInsecure); v != "" {
		insecure, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("harbor: NewClientFromEnv: %s=%q is not a boolean", EnvInsecure, v)
		}
		if insecure {
			envOpts = append(envOpts, WithInsecureSkipVerify())
		}
	}
	c, err := NewClient(rawURL, append(envOpts, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("%w (from the environment: %s)", err, EnvURL)
	}
	return c, nil
}
