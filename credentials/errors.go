package credentials

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
)

// Sentinel errors wrapped by [*Error], for use with [errors.Is]. Errors about
// the file system also wrap the underlying os error, so errors.Is(err,
// fs.ErrNotExist), fs.ErrExist and fs.ErrPermission work too.
var (
	// ErrSyntax: the data is not valid JSON, or not a JSON object.
	ErrSyntax = errors.New("credentials: invalid JSON")
	// ErrFieldType: a field has the wrong JSON type or an invalid value
	// (a timestamp that is not RFC 3339, a secret that is not UTF-8).
	ErrFieldType = errors.New("credentials: invalid field")
	// ErrMissingField: name or secret is missing, null or empty.
	ErrMissingField = errors.New("credentials: missing required field")
	// ErrSymlink: the path to write is a symbolic link, never written through.
	ErrSymlink = errors.New("credentials: path is a symbolic link")
	// ErrIsDir: the path is a directory, not a file.
	ErrIsDir = errors.New("credentials: path is a directory")
	// ErrNotRegular: the path is neither a regular file, a directory nor a
	// symbolic link (a device, a named pipe).
	ErrNotRegular = errors.New("credentials: path is not a regular file")
	// ErrInvalid: Save or Encode cannot write these Credentials (nil, a
	// secret that is the placeholder, bad Extra fields), or a path is empty.
	ErrInvalid = errors.New("credentials: invalid credentials")
	// ErrTooLarge: the file to load is larger than [MaxFileSize].
	ErrTooLarge = errors.New("credentials: file too large")
)

// Error is the error returned by every function of this package. Its text
// names the file and the problem and, for JSON syntax errors, the line and
// column; it never contains the file's content or the secret.
//
// Use [errors.Is] with the sentinels of this package ([ErrSyntax],
// [ErrFieldType], [ErrMissingField], [ErrSymlink], [ErrIsDir],
// [ErrNotRegular], [ErrInvalid]) or with [fs.ErrNotExist], [fs.ErrExist] and
// [fs.ErrPermission]; use [errors.As] to read the fields.
type Error struct {
	// Path is the file path (or the source name given to Parse), or empty.
	Path string
	// Field is the JSON field concerned, such as "secret" or
	// "permissions[0].access[1].action", or empty.
	Field string
	// Line and Column locate a JSON syntax error (1-based, the column
	// counted in bytes); both are 0 for other errors.
	Line, Column int
	// Msg says what is wrong, without any content of the file.
	Msg string
	// Err is the cause: one of the sentinels above or an os error.
	Err error
}

// Error returns "credentials: PATH[:LINE:COLUMN]: [field "F": ]MSG".
func (e *Error) Error() string {
	s := "credentials: "
	if e.Path != "" && e.Line > 0 {
		s += e.Path + ":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Column) + ": "
	} else if e.Path != "" {
		s += e.Path + ": "
	}
	if e.Field != "" {
		s += "field " + strconv.Quote(e.Field) + ": "
	}
	return s + e.Msg
}

// Unwrap returns the cause, for errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// osErrorText describes an os error without repeating the path, which the
// *Error already holds.
func osErrorText(err error) string {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Op + ": " + pe.Err.Error()
	case errors.As(err, &le):
		return le.Op + ": " + le.Err.Error()
	}
	return err.Error()
}

// fileError returns an *Error for an os error on path, prefixed by what was
// being done.
func fileError(path, doing string, err error) *Error {
	return &Error{Path: path, Msg: doing + ": " + osErrorText(err), Err: err}
}
