package credentials

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
)

// Sentinel errors wrapped by [*Error]. File system errors wrap the os error
// instead, matching fs.ErrNotExist, fs.ErrExist or fs.ErrPermission.
var (
	ErrSyntax       = errors.New("credentials: invalid JSON")               // not JSON, or not an object
	ErrFieldType    = errors.New("credentials: invalid field")              // a wrong JSON type or an invalid value
	ErrMissingField = errors.New("credentials: missing required field")     // name or secret missing, null or empty
	ErrSymlink      = errors.New("credentials: path is a symbolic link")    // never written through
	ErrIsDir        = errors.New("credentials: path is a directory")        // not a file
	ErrNotRegular   = errors.New("credentials: path is not a regular file") // a device, a named pipe
	ErrInvalid      = errors.New("credentials: invalid credentials")        // unwritable Credentials, or an empty path
	ErrTooLarge     = errors.New("credentials: file too large")             // over MaxFileSize
)

// Error is the error of every function of this package. It never holds a
// file's content nor the secret.
type Error struct {
	Path         string // the file path or Parse's source, or empty
	Field        string // such as "secret" or "permissions[0].access[1].action", or empty
	Line, Column int    // of a JSON syntax error, 1-based (the column in bytes); else 0
	Msg          string // what is wrong
	Err          error  // the cause: a sentinel above or an os error
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

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// fileError returns an *Error for an os error on path, prefixed by what was
// being done; the text does not repeat the path. A parent of path that is
// not a directory is named instead.
func fileError(path, doing string, err error) *Error {
	if isNotDir(err) {
		return notDirError(path)
	}
	msg := err.Error()
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		msg = pe.Op + ": " + pe.Err.Error()
	} else if le := (*os.LinkError)(nil); errors.As(err, &le) {
		msg = le.Op + ": " + le.Err.Error()
	}
	return &Error{Path: path, Msg: doing + ": " + msg, Err: err}
}
