package harbor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/credentials"
)

// Header values that would make every request fail are refused by NewClient,
// with an error naming the option and what is wrong.
func TestNewClientRefusesHeaderValuesThatCannotWork(t *testing.T) {
	robot := func(name string) credentials.Credentials {
		return credentials.Credentials{Name: name, Secret: credentials.NewSecret("Secret123")}
	}
	cases := []struct {
		name string
		opt  Option
		says string
	}{
		{"ua CRLF", WithUserAgent("ua\r\nX-Evil: 1"), `WithUserAgent: user agent contains the control character '\r' at byte 2`},
		{"ua LF", WithUserAgent("ua\n"), `control character '\n'`},
		{"ua NUL", WithUserAgent("ua\x00"), `control character '\x00'`},
		{"ua tab", WithUserAgent("ua\tx"), `control character '\t'`},
		{"ua DEL", WithUserAgent("ua\x7f"), `control character '\x7f'`},
		{"ua C1", WithUserAgent("ua\u0085"), `control character '\u0085'`},
		{"ua empty", WithUserAgent(""), "WithUserAgent: user agent is empty"},
		{"user colon", WithBasicAuth("ad:min", "pw"), `WithBasicAuth: user "ad:..." contains ':' (what follows it is not shown)`},
		{"user:password as the user", WithBasicAuth("admin:Harbor12345", ""), `WithBasicAuth: user "admin:..." contains ':'`},
		{"user CR", WithBasicAuth("admin\r", "pw"), `WithBasicAuth: user "admin\r" contains a control character`},
		{"user NUL", WithBasicAuth("ad\x00min", "pw"), "control character"},
		{"user empty", WithBasicAuth("", "pw"), "WithBasicAuth: user is empty"},
		{"robot colon", WithCredentials(robot("robot$a:b")), `WithCredentials: user "robot$a:..." contains ':'`},
		{"robot LF", WithCredentials(robot("robot$a\n")), "WithCredentials: user"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewClient("harbor.example.com", tc.opt)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.says)
			assert.NotContains(t, err.Error(), "Secret123")
			assert.NotContains(t, err.Error(), "Harbor12345", "a password pasted into the user is not quoted")
		})
	}
}

func TestNewClientAcceptsOrdinaryHeaderValues(t *testing.T) {
	for _, opt := range []Option{
		WithUserAgent("my-tool/1.2 (+https://example.com; ünïcode)"),
		WithBasicAuth("robot$proj+ci", "pw:with:colons\n"), // the password may hold anything
		WithBasicAuth("Ädmin.user@corp", "pw"),
		nil, // skipped, like every nil option
	} {
		_, err := NewClient("harbor.example.com", opt)
		assert.NoError(t, err)
	}
}
