// Package credentials reads and writes Harbor robot account credentials
// files: the JSON file that keeps a robot account's secret, which Harbor
// shows only once, when the robot is created or its secret refreshed.
//
// [Load] and [Parse] read the files written by the Python harborapi library
// (every robot field, null for unset ones), exported from Harbor's web UI
// (sometimes with the legacy "permissionScope" field) and written by [Save].
// Only "name" and "secret" are required; unknown fields are kept in
// [Credentials].Extra and written back, so a Load then Save loses nothing,
// and harborapi's credentials_file= option reads what Save writes.
//
// The secret is a [Secret]: printed and logged as "[REDACTED]", refused by
// encoding/json, encoding/xml, encoding/gob and text encoders (a file written
// that way could never log in). Only [Save] and [Encode] write it. Errors
// never contain the secret nor any other content of a file.
//
// [Save] writes with mode 0600 whatever the umask, atomically, refuses
// symbolic links and directories, and without [Overwrite] never replaces an
// existing file, even when several processes save at once. [CheckWritable]
// runs the same checks without writing, to fail before creating a robot
// account whose secret could otherwise be lost.
//
// All errors are [*Error] values; match them with [errors.Is] against the
// sentinels of this package or [io/fs.ErrNotExist], [io/fs.ErrExist] and
// [io/fs.ErrPermission]. The package uses the standard library only.
package credentials
