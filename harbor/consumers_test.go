package harbor

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// The payloads jsonConsumer decodes with json.Unmarshal hold no interface
// value anywhere, so UseNumber could not change their decoding. Keep this
// list in step with plainPayload.
func TestPlainPayloadsHoldNoInterface(t *testing.T) {
	for _, v := range []any{new([]*models.Project), new(models.Project), new([]*models.Robot), new(models.Robot),
		new(models.RobotCreated), new(models.RobotSec), new([]*models.Repository), new(models.Repository),
		new(models.UserResp), new([]*models.UserResp)} {
		assert.True(t, plainPayload(v), "%T", v)
		assert.False(t, holdsInterface(reflect.TypeOf(v), map[reflect.Type]bool{}), "%T holds an interface", v)
	}
	assert.False(t, plainPayload(new([]*models.ScannerRegistration)), "capabilities is untyped")
}

func holdsInterface(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return holdsInterface(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if holdsInterface(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}
