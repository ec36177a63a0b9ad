package harbor

// SetBeforeSaveHook makes c call f between creating a robot and saving its
// credentials file, so tests can make the save fail after the pre-flight check.
func SetBeforeSaveHook(c *Client, f func()) { c.beforeSave = f }
