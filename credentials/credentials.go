// Package credentials reads and writes Harbor robot account credentials
// files: the JSON file that keeps a robot's secret, which Harbor shows only
// once. [Load] reads harborapi's files, Harbor UI exports and [Save]'s; Save
// writes atomically with mode 0600 and never through a symbolic link; a
// [Secret] is redacted by every printer and refused by encoders. Errors are
// [*Error] values that never hold a file's content. The package uses the
// standard library only. Details: docs/credentials.md in the repository.
package credentials

import (
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"strconv"
	"time"
)

// Credentials is a robot account with its secret: a credentials file. Only
// Name and Secret are required; a nil optional field is null or absent, and
// fields this package does not know are kept in Extra and written back.
type Credentials struct {
	Name         string       `json:"name"`          // such as "robot$ci"; required
	Secret       Secret       `json:"secret"`        // required
	ID           *int64       `json:"id"`            // Harbor's robot ID
	Description  *string      `json:"description"`   // the robot's description
	Level        *string      `json:"level"`         // "system" or "project"
	Duration     *int64       `json:"duration"`      // lifetime in days; -1: never expires
	Editable     *bool        `json:"editable"`      // whether the robot can be edited
	Disable      *bool        `json:"disable"`       // whether the robot is disabled
	ExpiresAt    *int64       `json:"expires_at"`    // Unix seconds; -1: never
	Permissions  []Permission `json:"permissions"`   // the robot's permissions
	CreationTime *time.Time   `json:"creation_time"` // when the robot was created
	UpdateTime   *time.Time   `json:"update_time"`   // when the robot was last updated

	Extra map[string]json.RawMessage `json:"-" xml:"-"` // unknown fields by key, compact JSON; not the keys above
}

// Permission is access to one namespace. Null and absent strings read as "",
// and "" is left out when writing.
type Permission struct {
	Kind      string                     `json:"kind,omitempty"`      // "project" or "system"
	Namespace string                     `json:"namespace,omitempty"` // a project, "/" for system, "*" for all projects
	Access    []Access                   `json:"access,omitzero"`     // the allowed (or denied) actions
	Extra     map[string]json.RawMessage `json:"-" xml:"-"`           // unknown fields, written back
}

// Access is one action on one resource within a [Permission].
type Access struct {
	Resource string                     `json:"resource,omitempty"` // such as "repository"
	Action   string                     `json:"action,omitempty"`   // such as "pull" or "push"
	Effect   string                     `json:"effect,omitempty"`   // "allow", "deny" or "" (allow)
	Extra    map[string]json.RawMessage `json:"-" xml:"-"`          // unknown fields, written back
}

// LogValue implements [slog.LogValuer]: the name, the redacted secret, and
// the id and level when known.
func (c Credentials) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("name", c.Name), slog.Any("secret", c.Secret)}
	if c.ID != nil {
		attrs = append(attrs, slog.Int64("id", *c.ID))
	}
	if c.Level != nil {
		attrs = append(attrs, slog.String("level", *c.Level))
	}
	return slog.GroupValue(attrs...)
}

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

// fileError returns an *Error for an os error on path (not repeating it), or
// names a parent that is not a directory.
func fileError(path, doing string, err error) *Error {
	if e := notDirError(path); e != nil {
		return e
	}
	msg := err.Error()
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		msg = pe.Op + ": " + pe.Err.Error()
	} else if le := (*os.LinkError)(nil); errors.As(err, &le) {
		msg = le.Op + ": " + le.Err.Error()
	}
	return &Error{Path: path, Msg: doing + ": " + msg, Err: err}
}
