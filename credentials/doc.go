// Package credentials reads and writes Harbor robot account credentials
// files: the JSON file that keeps a robot account's secret, which Harbor
// shows only once, when the robot is created or its secret refreshed.
//
// # Compatible formats
//
// [Load] and [Parse] read the three kinds of files found in practice:
//
//   - files written by the Python harborapi library
//     (HarborAsyncClient.create_robot(..., path=...)): every robot field,
//     with null for unset ones;
//   - files exported from Harbor's web UI ("Export to file"): the answer of
//     robot creation, {"id", "name", "secret", "creation_time",
//     "expires_at"}, or a full robot with its refreshed secret, sometimes with
//     the legacy "permissionScope" field;
//   - files written by [Save].
//
// Only "name" and "secret" are required. Fields this package does not know
// are kept in [Credentials].Extra and written back unchanged, so a Load then
// Save round trip loses nothing. [Save] writes harborapi's field names, so
// harborapi's credentials_file= option reads files written here.
//
// # Secrets
//
// The secret is a [Secret], which never shows its value except through
// [Secret.Reveal]: fmt verbs, String, GoString, encoding/json, encoding/xml,
// encoding.TextMarshaler and log/slog all print "[REDACTED]" (and "" for an
// empty secret), and encoding/gob refuses it. The plaintext sits behind a
// pointer, so a Secret or [Credentials] held in an unexported field of
// another struct, which fmt and slog print by reflection without calling
// any method, shows an address, never the secret. Only [Save] and [Encode]
// write the real secret. Errors from this package never contain the secret
// nor any other content of a file.
//
// # Writing safely
//
// [Save] writes with mode 0600 whatever the umask, atomically (temporary
// file, fsync, rename or link), refuses symbolic links and directories, and
// without [Overwrite] never replaces an existing file, even when several
// processes save to the same path at once. [CheckWritable] runs the same
// checks without writing, to fail early before creating a robot account
// whose secret could otherwise be lost.
//
// All errors are [*Error] values; match them with [errors.Is] against the
// sentinels of this package or [io/fs.ErrNotExist], [io/fs.ErrExist] and
// [io/fs.ErrPermission].
//
// The package uses the standard library only.
package credentials
