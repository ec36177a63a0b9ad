package harbor

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What users type is accepted and lands on <scheme>://<host>[/prefix]/api/v2.0.
func TestNewClientAcceptsWhatUsersType(t *testing.T) {
	cases := []struct{ in, want string }{
		{"harbor.example.com", "https://harbor.example.com/api/v2.0"},
		{"harbor.example.com/", "https://harbor.example.com/api/v2.0"},
		{"harbor.example.com/api/v2.0", "https://harbor.example.com/api/v2.0"},
		{"https://harbor.example.com/api/v2.0/", "https://harbor.example.com/api/v2.0"},
		{"http://harbor.example.com", "http://harbor.example.com/api/v2.0"},
		{"HTTPS://Harbor.Example.com", "https://Harbor.Example.com/api/v2.0"},
		{"localhost:8080", "https://localhost:8080/api/v2.0"},
		{"http://localhost:8080/", "http://localhost:8080/api/v2.0"},
		{"[::1]:8443", "https://[::1]:8443/api/v2.0"},
		{"http://[::1]", "http://[::1]/api/v2.0"},
		{"https://[fe80::1%25eth0]:8443", "https://[fe80::1%25eth0]:8443/api/v2.0"},
		{"127.0.0.1:65535", "https://127.0.0.1:65535/api/v2.0"},
		{"https://h:1", "https://h:1/api/v2.0"},
		{"harbor_internal.corp", "https://harbor_internal.corp/api/v2.0"},
		{"harbor.example.com.", "https://harbor.example.com./api/v2.0"},
		{"xn--bcher-kva.example", "https://xn--bcher-kva.example/api/v2.0"},
		{"https://example.com/harbor/", "https://example.com/harbor/api/v2.0"},
		{"  https://harbor.example.com  ", "https://harbor.example.com/api/v2.0"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			c, err := NewClient(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.BaseURL())
		})
	}
}

// Every URL that cannot name a Harbor is refused at construction, with an
// error that quotes the input and says what is wrong.
func TestNewClientRefusesURLsThatCannotWork(t *testing.T) {
	cases := []struct{ in, says string }{
		{"", "empty"},
		{"   ", "empty"},
		{"::::", "neither host[:port] nor an IPv6 address in brackets"},
		{"::1", "must be written in brackets, e.g. [::1]:443"},
		{"https://fe80::1:8443", "must be written in brackets"},
		{"http:/h", `"http" looks like a scheme without "//"`},
		{"https:h", `"https" looks like a scheme without "//"`},
		{"https://h:99999", "port 99999 is not between 1 and 65535"},
		{"https://h:0", "port 0 is not between 1 and 65535"},
		{"https://h:443:443", "neither host[:port]"},
		{"https://h:", "the port after ':' is empty"},
		{"h:abc", `port "abc" is not a number`},
		{"https://h:+443", `port "+443" is not a number`},
		{"https://", "has no host"},
		{"https://:443", "has no host"},
		{"https:///api/v2.0", "has no host"},
		{"https://[::1", "missing ']'"},
		{"https://[::1]x", `"x" after the IPv6 address is not a port`},
		{"https://[1.2.3.4]", "in brackets is not an IPv6 address"},
		{"https://[zzz]:1", "in brackets is not an IPv6 address"},
		{"https://[::%25\xb0]", `the zone "\xb0" of the IPv6 address contains`},
		{"https://[fe80::1%25eth%2F0]", `the zone "eth%2F0" of the IPv6 address contains '%'`},
		{"https://[fe80::1%eth0]", "must be written %25 and an interface name"},
		{"https://[fe80::1%25]", "must be written %25 and an interface name"},
		{"https://[::1]:0", "port 0"},
		{"https://a..b", "empty label"},
		{"https://.h", "empty label"},
		{"https://harbor example.com", "contains ' '"},
		{"https://h%41rbor", "contains '%'"},
		{"bücher.example", `host "bücher.example" is not ASCII; write its IDNA form (xn--...)`},
		{"ײ", "is not ASCII"},
		{"https://h\n.com", "control character"},
		{"https://h\x00.com", "control character"},
		{"ftp://harbor.example.com", `scheme "ftp" is not http or https`},
		{"https://h/?q=1", "query"},
		{"https://h/#top", "fragment"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			_, err := NewClient(tc.in)
			require.Error(t, err)
			msg := err.Error()
			assert.Contains(t, msg, tc.says)
			assert.True(t, strings.HasPrefix(msg, "harbor: URL "), msg)
			if strings.TrimSpace(tc.in) != "" {
				assert.Contains(t, msg, strconv.Quote(tc.in), "the error quotes the input")
			}
		})
	}
}

// A password in the URL is refused and never repeated, whatever else is wrong.
func TestNewClientURLErrorsHideThePassword(t *testing.T) {
	for _, in := range []string{
		"https://admin:S3cretPW@h", "https://admin:S3cretPW@h:99999", "admin:S3cretPW@::1",
		"https://admin:S3cretPW@[::1", "http:/admin:S3cretPW@h", "https://admin:S3cretPW@h%zz",
	} {
		_, err := NewClient(in)
		require.Error(t, err, in)
		assert.NotContains(t, err.Error(), "S3cretPW", in)
	}
	for _, in := range []string{"https://admin:S3cretPW@h", "https://admin@harbor.example.com"} {
		_, err := NewClient(in)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), "user info in the URL is not allowed; use WithBasicAuth", in)
	}
}
