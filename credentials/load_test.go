package credentials

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ptr[T any](v T) *T { return &v }

func TestLoadHarborapiFile(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "harborapi.json"))
	require.NoError(t, err)
	assert.Equal(t, "robot$harborapi-ci", c.Name)
	assert.Equal(t, "Hx7kQ2mZp9WvL4tRb8NcY3sJ6dFg1AeU", c.Secret.Reveal())
	assert.Equal(t, ptr(int64(7)), c.ID)
	assert.Equal(t, ptr("CI robot created by harborapi"), c.Description)
	assert.Equal(t, ptr("system"), c.Level)
	assert.Equal(t, ptr(int64(30)), c.Duration)
	assert.Nil(t, c.Editable, "null stays nil")
	assert.Equal(t, ptr(false), c.Disable, "false is kept apart from null")
	assert.Equal(t, ptr(int64(1798320643)), c.ExpiresAt)
	require.NotNil(t, c.CreationTime)
	assert.True(t, c.CreationTime.Equal(time.Date(2026, 11, 26, 21, 30, 43, 146e6, time.UTC)))
	assert.Nil(t, c.UpdateTime)
	assert.Equal(t, []Permission{{Kind: "project", Namespace: "library", Access: []Access{
		{Resource: "repository", Action: "pull"},
		{Resource: "repository", Action: "push", Effect: "allow"},
	}}}, c.Permissions)
	assert.Equal(t, map[string]json.RawMessage{
		"creator_type": json.RawMessage("null"),
		"creator_ref":  json.RawMessage("null"),
	}, c.Extra)
}

func TestLoadUICreateExport(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "ui_create.json"))
	require.NoError(t, err)
	assert.Equal(t, "robot$x", c.Name)
	assert.Equal(t, "Ui7CreateSecretAbcdEfgh12345678", c.Secret.Reveal())
	assert.Equal(t, ptr(int64(1)), c.ID)
	assert.Equal(t, ptr(int64(1798320643)), c.ExpiresAt)
	require.NotNil(t, c.CreationTime)
	assert.Equal(t, "2026-11-26T21:30:43.146Z", c.CreationTime.Format(time.RFC3339Nano))
	assert.Nil(t, c.Description)
	assert.Nil(t, c.Level)
	assert.Nil(t, c.Permissions)
	assert.Nil(t, c.Extra)
}

func TestLoadUIRefreshExport(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "ui_refresh.json"))
	require.NoError(t, err)
	assert.Equal(t, "robot$library+puller", c.Name)
	assert.Equal(t, "RefreshedSecret9876ZyxwVuts4321", c.Secret.Reveal())
	assert.Equal(t, ptr(int64(-1)), c.Duration)
	assert.Equal(t, ptr(int64(-1)), c.ExpiresAt)
	assert.Equal(t, ptr(true), c.Editable)
	assert.Equal(t, ptr("project"), c.Level)
	require.NotNil(t, c.UpdateTime)
	assert.True(t, c.UpdateTime.Equal(time.Date(2026, 3, 1, 8, 15, 30, 5e8, time.UTC)))
	assert.Equal(t, []Permission{{Kind: "project", Namespace: "library",
		Access: []Access{{Resource: "repository", Action: "pull"}}}}, c.Permissions)
	require.Contains(t, c.Extra, "permissionScope")
	assert.JSONEq(t, `{"coverAll":false,"access":[{"action":"pull","resource":"repository"}]}`,
		string(c.Extra["permissionScope"]))
	assert.JSONEq(t, `"local"`, string(c.Extra["creator_type"]))
	assert.JSONEq(t, `1`, string(c.Extra["creator_ref"]))
}

func TestParseLenientValues(t *testing.T) {
	c, err := Parse([]byte("\xEF\xBB\xBF"+`{"name":"robot$a","secret":"b","id":3.0,"duration":1e2,
		"creation_time":"2026-11-26T21:30:43.146000","update_time":"2026-11-26 21:30:43+02:00",
		"permissions":[{"kind":null,"namespace":"p","access":null,"future":[1]}]}`), "inline")
	require.NoError(t, err)
	assert.Equal(t, ptr(int64(3)), c.ID)
	assert.Equal(t, ptr(int64(100)), c.Duration)
	assert.True(t, c.CreationTime.Equal(time.Date(2026, 11, 26, 21, 30, 43, 146e6, time.UTC)), "no zone means UTC")
	assert.True(t, c.UpdateTime.Equal(time.Date(2026, 11, 26, 19, 30, 43, 0, time.UTC)))
	assert.Equal(t, []Permission{{Namespace: "p", Extra: map[string]json.RawMessage{"future": json.RawMessage("[1]")}}},
		c.Permissions)

	c, err = Parse([]byte(`{"name":"n","secret":"s","permissions":[]}`), "")
	require.NoError(t, err)
	assert.NotNil(t, c.Permissions)
	assert.Empty(t, c.Permissions)
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "robot.json")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestLoadErrors(t *testing.T) {
	const secret = "S3cretValue!"
	cases := []struct {
		name     string
		content  string
		sentinel error
		field    string
		line     int
		column   int
		contains []string
	}{
		{
			name:     "not JSON",
			content:  "{\n  \"name\": \"robot$x\",\n  \"secret\": \"" + secret + "\"\n  \"id\": 1\n}\n",
			sentinel: ErrSyntax, line: 4, column: 3,
			contains: []string{":4:3: invalid JSON: invalid character after object key:value pair"},
		},
		{
			name:     "bad character inside the secret",
			content:  "{\"name\": \"robot$x\",\n\"secret\": \"S3cret\x01Value!\"}",
			sentinel: ErrSyntax, line: 2, column: 18,
			contains: []string{":2:18: invalid JSON: invalid character in string literal"},
		},
		{
			name:     "truncated",
			content:  "{\"name\": \"robot$x\",\n\"secret\": \"" + secret,
			sentinel: ErrSyntax, line: 2, column: 24,
			contains: []string{"unexpected end of JSON input"},
		},
		{name: "empty file", content: " \n", sentinel: ErrSyntax, contains: []string{"file is empty"}},
		{name: "array", content: `["` + secret + `"]`, sentinel: ErrSyntax, contains: []string{"must be an object, got array"}},
		{name: "null", content: `null`, sentinel: ErrSyntax, contains: []string{"must be an object, got null"}},
		{name: "name missing", content: `{"secret":"` + secret + `"}`, sentinel: ErrMissingField, field: "name",
			contains: []string{`field "name": required field is missing`}},
		{name: "name null", content: `{"name":null,"secret":"` + secret + `"}`, sentinel: ErrMissingField, field: "name",
			contains: []string{`field "name": required field is null`}},
		{name: "name empty", content: `{"name":"","secret":"` + secret + `"}`, sentinel: ErrMissingField, field: "name",
			contains: []string{`field "name": required field is empty`}},
		{name: "secret missing", content: `{"name":"robot$x"}`, sentinel: ErrMissingField, field: "secret",
			contains: []string{`field "secret": required field is missing`}},
		{name: "secret null", content: `{"name":"robot$x","secret":null}`, sentinel: ErrMissingField, field: "secret",
			contains: []string{`field "secret": required field is null`}},
		{name: "secret empty", content: `{"name":"robot$x","secret":""}`, sentinel: ErrMissingField, field: "secret",
			contains: []string{`field "secret": required field is empty`}},
		{name: "secret number", content: `{"name":"robot$x","secret":12345678}`, sentinel: ErrFieldType, field: "secret",
			contains: []string{`field "secret": must be a string, got number`}},
		{name: "secret redacted", content: `{"name":"robot$x","secret":"[REDACTED]"}`, sentinel: ErrFieldType, field: "secret",
			contains: []string{`redaction placeholder`}},
		{name: "secret not UTF-8", content: "{\"name\":\"robot$x\",\"secret\":\"S3cret\xffValue!\"}", sentinel: ErrFieldType,
			field: "secret", contains: []string{`field "secret": is not valid UTF-8`}},
		{name: "secret truncated UTF-8 sequence", content: "{\"name\":\"robot$x\",\"secret\":\"S3cretValue!\xe2\x82\"}", sentinel: ErrFieldType,
			field: "secret", contains: []string{`field "secret": is not valid UTF-8`}},
		{name: "secret Latin-1", content: "{\"name\":\"robot$x\",\"secret\":\"S3cretValue!\xe9t\xe9\"}", sentinel: ErrFieldType,
			field: "secret", contains: []string{`field "secret": is not valid UTF-8`}},
		{name: "secret lone surrogate escape", content: `{"name":"robot$x","secret":"S3cretValue!\ud800"}`, sentinel: ErrFieldType,
			field: "secret", contains: []string{`field "secret": is not valid UTF-8`}},
		{name: "secret reversed surrogates", content: `{"name":"robot$x","secret":"S3cretValue!\udc00\ud800"}`, sentinel: ErrFieldType,
			field: "secret", contains: []string{`field "secret": is not valid UTF-8`}},
		{name: "name not UTF-8", content: "{\"name\":\"robot$\xc0x\",\"secret\":\"" + secret + "\"}", sentinel: ErrFieldType,
			field: "name", contains: []string{`field "name": is not valid UTF-8`}},
		{name: "name object", content: `{"name":{"a":1},"secret":"` + secret + `"}`, sentinel: ErrFieldType, field: "name",
			contains: []string{`field "name": must be a string, got object`}},
		{name: "id string", content: `{"id":"7","name":"robot$x","secret":"` + secret + `"}`, sentinel: ErrFieldType, field: "id",
			contains: []string{`field "id": must be an integer or null, got string`}},
		{name: "id fraction", content: `{"id":1.5,"name":"robot$x","secret":"` + secret + `"}`, sentinel: ErrFieldType, field: "id",
			contains: []string{`field "id": must be an integer or null, got a number that is not a 64-bit integer`}},
		{name: "disable string", content: `{"name":"robot$x","secret":"` + secret + `","disable":"no"}`, sentinel: ErrFieldType,
			field: "disable", contains: []string{`field "disable": must be a boolean or null, got string`}},
		{name: "description bool", content: `{"name":"robot$x","secret":"` + secret + `","description":true}`, sentinel: ErrFieldType,
			field: "description", contains: []string{`field "description": must be a string or null, got boolean`}},
		{name: "permissions object", content: `{"name":"robot$x","secret":"` + secret + `","permissions":{}}`, sentinel: ErrFieldType,
			field: "permissions", contains: []string{`field "permissions": must be an array or null, got object`}},
		{name: "permission not object", content: `{"name":"robot$x","secret":"` + secret + `","permissions":[{},"x"]}`,
			sentinel: ErrFieldType, field: "permissions[1]", contains: []string{`field "permissions[1]": must be an object, got string`}},
		{name: "access action number", content: `{"name":"robot$x","secret":"` + secret +
			`","permissions":[{"kind":"project","access":[{"action":"pull"},{"action":5}]}]}`,
			sentinel: ErrFieldType, field: "permissions[0].access[1].action",
			contains: []string{`field "permissions[0].access[1].action": must be a string or null, got number`}},
		{name: "creation_time not a time", content: `{"name":"robot$x","secret":"` + secret + `","creation_time":"yesterday"}`,
			sentinel: ErrFieldType, field: "creation_time", contains: []string{`field "creation_time": must be an RFC 3339 timestamp`}},
		{name: "update_time number", content: `{"name":"robot$x","secret":"` + secret + `","update_time":17}`,
			sentinel: ErrFieldType, field: "update_time", contains: []string{`field "update_time": must be an RFC 3339 timestamp string or null, got number`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.content)
			c, err := Load(path)
			require.Error(t, err)
			assert.Nil(t, c)
			msg := err.Error()
			assert.True(t, strings.HasPrefix(msg, "credentials: "+path), "error names the file: %s", msg)
			assert.ErrorIs(t, err, tc.sentinel)
			for _, s := range tc.contains {
				assert.Contains(t, msg, s)
			}
			assert.NotContains(t, msg, "S3cret")
			assert.NotContains(t, msg, "12345678")
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, path, e.Path)
			assert.Equal(t, tc.field, e.Field)
			assert.Equal(t, tc.line, e.Line)
			assert.Equal(t, tc.column, e.Column)
		})
	}
}

func TestLoadValidUnicodeSecrets(t *testing.T) {
	// What validJSONText must not refuse: every one decodes to the text
	// written.
	cases := map[string]struct{ json, want string }{
		"ASCII":                 {`"S3cretValue!"`, "S3cretValue!"},
		"multi-byte escapes":    {`"s\u00e9cr\u00e8t-\u20ac"`, "s\u00e9cr\u00e8t-\u20ac"},
		"raw multi-byte":        {"\"s\u00e9cr\u00e8t\"", "s\u00e9cr\u00e8t"},
		"surrogate pair":        {`"\ud83d\ude00"`, "\U0001F600"},
		"upper-case hex pair":   {`"\uD83D\uDE00"`, "\U0001F600"},
		"escaped backslash + u": {`"a\\ud800"`, `a\ud800`},
		"literal replacement":   {`"a\ufffdb"`, "a\ufffdb"},
		"other escapes":         {`"a\"b\\c\/d\n"`, "a\"b\\c/d\n"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := Parse([]byte(`{"name":"robot$x","secret":`+tc.json+`}`), "inline")
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.Secret.Reveal())
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.json")
	_, err := Load(path)
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), "no such file or directory")
	assert.Equal(t, 1, strings.Count(err.Error(), path), "path named once: %s", err)
}

func TestLoadDirectory(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(dir)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrIsDir)
	assert.Contains(t, err.Error(), dir+": is a directory")
}

func TestLoadTooLarge(t *testing.T) {
	path := writeFile(t, `{"name":"n","secret":"s","x":"`+strings.Repeat("a", MaxFileSize)+`"}`)
	_, err := Load(path)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrTooLarge)
}

func TestLoadFollowsSymlink(t *testing.T) {
	target, err := filepath.Abs(filepath.Join("testdata", "ui_create.json"))
	require.NoError(t, err)
	link := filepath.Join(t.TempDir(), "link.json")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
	c, err := Load(link)
	require.NoError(t, err)
	assert.Equal(t, "robot$x", c.Name)
}

func TestParseErrorWithoutSource(t *testing.T) {
	_, err := Parse([]byte(`{"name":"x"}`), "")
	require.Error(t, err)
	assert.Equal(t, `credentials: field "secret": required field is missing`, err.Error())
	assert.True(t, errors.Is(err, ErrMissingField))
}

func TestSyntaxMessage(t *testing.T) {
	assert.Equal(t, "invalid character looking for beginning of value",
		syntaxMessage("invalid character 'S' looking for beginning of value"))
	assert.Equal(t, "invalid character after object key",
		syntaxMessage(`invalid character '\'' after object key`))
	assert.Equal(t, "invalid character in string literal",
		syntaxMessage(`invalid character '\x01' in string literal`))
	assert.Equal(t, "unexpected end of JSON input", syntaxMessage("unexpected end of JSON input"))
	assert.Equal(t, "invalid character in numeric literal", syntaxMessage(`invalid character ' ' in numeric literal`))
	assert.Equal(t, "invalid character in literal true (expecting 'r')",
		syntaxMessage(`invalid character 'x' in literal true (expecting 'r')`))
	assert.Equal(t, "invalid character", syntaxMessage(`invalid character '`))
}

// Keys match exactly, as in Python: a "Name" beside "name" is an unknown
// field kept in Extra and written back, and "NAME" alone is no name.
// (encoding/json's struct decoding would take either for "name".)
func TestParseKeysMatchExactly(t *testing.T) {
	c, err := Parse([]byte(`{"Name":"other","name":"robot$a","SECRET":"x","secret":"s"}`), "inline")
	require.NoError(t, err)
	assert.Equal(t, "robot$a", c.Name)
	assert.Equal(t, "s", c.Secret.Reveal())
	assert.Equal(t, map[string]json.RawMessage{"Name": json.RawMessage(`"other"`), "SECRET": json.RawMessage(`"x"`)}, c.Extra)
	out, err := Encode(c)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"Name": "other"`)
	assert.Contains(t, string(out), `"SECRET": "x"`)

	_, err = Parse([]byte(`{"NAME":"robot$a","secret":"s"}`), "inline")
	assert.ErrorIs(t, err, ErrMissingField)
	assert.EqualError(t, err, `credentials: inline: field "name": required field is missing`)
}
