// Package credentials reads and writes Harbor robot account credentials
// files: the JSON file that keeps a robot's secret, which Harbor shows only
// once. [Load] reads harborapi's files, Harbor UI exports and [Save]'s; Save
// writes atomically with mode 0600 and never through a symbolic link; a
// [Secret] is redacted by every printer and refused by encoders. Errors are
// [*Error] values that never hold a file's content. The package uses the
// standard library only. Details: docs/credentials.md in the repository.
package credentials
