package credentials

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An empty path is refused alike by every function that takes one, with
// the same text and sentinel (Load used to say "stat: no such file").
func TestEmptyPathRefusedAlike(t *testing.T) {
	cred := &Credentials{Name: "robot$x", Secret: NewSecret("Abcdefg1")}
	for name, call := range map[string]func() error{
		"Load":          func() error { _, err := Load(""); return err },
		"CheckWritable": func() error { return CheckWritable("", false) },
		"Save":          func() error { return Save("", cred) },
	} {
		err := call()
		require.Error(t, err, name)
		assert.Equal(t, "credentials: empty path", err.Error(), name)
		assert.True(t, errors.Is(err, ErrInvalid), name)
	}
}
