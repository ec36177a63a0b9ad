package harbor

import "net/url"

// SetBeforeSaveHook makes c call f between creating a robot and saving its
// credentials file, so tests can make the save fail after the pre-flight check.
func SetBeforeSaveHook(c *Client, f func()) { c.beforeSave = f }

// NormalizeURL exposes normalizeURL to the external test package (secrets
// and fuzz tests); users reach it through NewClient and Client.BaseURL.
func NormalizeURL(raw string) (*url.URL, error) { return normalizeURL(raw) }

// LockRotation exposes the lock of RotateCredentialsFile, so that another
// process can hold it in tests.
var LockRotation = lockRotation
