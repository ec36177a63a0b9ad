package credentials

import (
	"encoding/json"
	"log/slog"
	"time"
)

// Credentials is a robot account with its secret: a credentials file. Only
// Name and Secret are required; a nil optional field is null or absent, and
// fields this package does not know are kept in Extra and written back.
type Credentials struct {
	Name   string `json:"name"`   // such as "robot$ci"; required
	Secret Secret `json:"secret"` // required

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

	// Extra holds unknown fields by key, as compact JSON; keys must not be
	// the JSON names of the fields above.
	Extra map[string]json.RawMessage `json:"-" xml:"-"`
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
