package credentials

import (
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStickyForbids(t *testing.T) {
	const (
		root   = 0
		alice  = 1000 // the process, in most rows
		bob    = 1001
		sticky = fs.ModeDir | fs.ModeSticky | 0o777
		plain  = fs.ModeDir | 0o777
	)
	cases := []struct {
		name                 string
		dirMode              fs.FileMode
		dirUID, fileUID, uid int
		forbids              bool
	}{
		{"no sticky bit: anyone who can write the directory", plain, root, bob, alice, false},
		{"no sticky bit, private directory mode bits are not this rule's concern", fs.ModeDir | 0o700, bob, bob, alice, false},
		{"sticky, another user's file in root's directory (/tmp)", sticky, root, bob, alice, true},
		{"sticky, own file", sticky, root, alice, alice, false},
		{"sticky, own directory", sticky, alice, bob, alice, false},
		{"sticky, root replaces anyone's file", sticky, bob, bob, root, false},
		{"sticky, root's file in root's directory", sticky, root, root, alice, true},
		{"sticky, another user's file in a third user's directory", sticky, bob, 1002, alice, true},
		{"sticky bit without write bits still applies", fs.ModeDir | fs.ModeSticky | 0o755, root, bob, alice, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.forbids, stickyForbids(tc.dirMode, tc.dirUID, tc.fileUID, tc.uid))
		})
	}
}
