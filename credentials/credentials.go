package credentials

import (
	"encoding/json"
	"log/slog"
	"time"
)

// Credentials is a Harbor robot account with its secret: the content of a
// credentials file.
//
// Only Name and Secret are required; the other fields mirror the robot as
// Harbor returns it and harborapi writes it. Optional fields are pointers (or
// a nil slice): nil stands for null (harborapi's unset fields) or absent
// (Harbor's UI export omits most), and is written back as null; a non-nil
// pointer keeps "disable": false or "duration": 0 apart from unknown. Fields
// this package does not know (Harbor's legacy "permissionScope", harborapi's
// "creator_type") are kept in Extra and written back by [Save].
//
// Only [Save] and [Encode] write the secret; encoding/json, encoding/xml and
// encoding/gob refuse Credentials that hold one (see [Secret]). fmt never
// prints the secret, even from an unexported field of another struct, and
// log/slog records [Credentials.LogValue].
type Credentials struct {
	// Name is the robot account name used as the user name, for example
	// "robot$ci" or "robot$myproject+ci". Required.
	Name string `json:"name"`
	// Secret is the robot account secret used as the password. Required.
	Secret Secret `json:"secret"`

	// ID is the robot account ID in Harbor.
	ID *int64 `json:"id"`
	// Description is the robot account description.
	Description *string `json:"description"`
	// Level is "system" or "project".
	Level *string `json:"level"`
	// Duration is the lifetime in days; -1 means it never expires.
	Duration *int64 `json:"duration"`
	// Editable reports whether the robot account can be edited.
	Editable *bool `json:"editable"`
	// Disable reports whether the robot account is disabled.
	Disable *bool `json:"disable"`
	// ExpiresAt is the expiry time in Unix seconds; -1 means never.
	ExpiresAt *int64 `json:"expires_at"`
	// Permissions are the robot account's permissions.
	Permissions []Permission `json:"permissions"`
	// CreationTime is when the robot account was created.
	CreationTime *time.Time `json:"creation_time"`
	// UpdateTime is when the robot account was last updated.
	UpdateTime *time.Time `json:"update_time"`

	// Extra holds the fields not listed above, by JSON key, as compact JSON.
	// Keys must not be the JSON names of the fields above.
	Extra map[string]json.RawMessage `json:"-" xml:"-"`
}

// Permission is one entry of a robot account's permissions: access to a
// namespace of some kind. Null and absent fields read as "", and empty
// fields are left out when writing.
type Permission struct {
	// Kind is "project" or "system".
	Kind string `json:"kind,omitempty"`
	// Namespace is the project name, "/" for system permissions, or "*" for
	// all projects.
	Namespace string `json:"namespace,omitempty"`
	// Access lists the allowed (or denied) actions on resources.
	Access []Access `json:"access,omitzero"`
	// Extra holds unknown fields, kept and written back unchanged.
	Extra map[string]json.RawMessage `json:"-" xml:"-"`
}

// Access is one action on one resource within a [Permission]. Null and absent
// fields read as "", and empty fields are left out when writing.
type Access struct {
	// Resource is the resource, such as "repository" or "artifact".
	Resource string `json:"resource,omitempty"`
	// Action is the action, such as "pull", "push" or "list".
	Action string `json:"action,omitempty"`
	// Effect is "allow", "deny" or empty (which Harbor treats as allow).
	Effect string `json:"effect,omitempty"`
	// Extra holds unknown fields, kept and written back unchanged.
	Extra map[string]json.RawMessage `json:"-" xml:"-"`
}

// LogValue implements [slog.LogValuer]: slog's handlers record the name, the
// redacted secret, and the id and level when known, as a group.
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
