package harbor

import "net/url"

// NormalizeURL exposes normalizeURL to the external test package (secrets
// and fuzz tests); users reach it through NewClient and Client.BaseURL.
func NormalizeURL(raw string) (*url.URL, error) { return normalizeURL(raw) }
