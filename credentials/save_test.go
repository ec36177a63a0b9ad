package credentials

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dirNames returns the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestSaveLoadRoundTripKeepsEverything(t *testing.T) {
	for _, fixture := range []string{"harborapi.json", "ui_create.json", "ui_refresh.json"} {
		t.Run(fixture, func(t *testing.T) {
			orig, err := os.ReadFile(filepath.Join("testdata", fixture))
			require.NoError(t, err)
			c, err := Parse(orig, fixture)
			require.NoError(t, err)

			path := filepath.Join(t.TempDir(), "robot.json")
			require.NoError(t, Save(path, c))
			got, err := Load(path)
			require.NoError(t, err)
			assertSameCredentials(t, c, got)

			// Every field of the original file is in the written one with the
			// same value, except that absent fields are written as null.
			written, err := os.ReadFile(path)
			require.NoError(t, err)
			var in, out map[string]any
			require.NoError(t, json.Unmarshal(orig, &in))
			require.NoError(t, json.Unmarshal(written, &out))
			for k, v := range in {
				require.Contains(t, out, k)
				if k == "creation_time" || k == "update_time" {
					continue // same instant, possibly other digits; checked above
				}
				if k == "permissions" {
					continue // null/"" effects are left out; checked above
				}
				assert.Equal(t, v, out[k], k)
			}
			for k, v := range out {
				if _, ok := in[k]; !ok {
					assert.Nil(t, v, "field %s absent from the original is written as null", k)
				}
			}
		})
	}
}

func assertSameCredentials(t *testing.T, want, got *Credentials) {
	t.Helper()
	require.NotNil(t, got)
	w, g := *want, *got
	for _, p := range []struct{ w, g **time.Time }{{&w.CreationTime, &g.CreationTime}, {&w.UpdateTime, &g.UpdateTime}} {
		if *p.w == nil || *p.g == nil {
			assert.Equal(t, *p.w == nil, *p.g == nil)
		} else {
			assert.True(t, (*p.w).Equal(**p.g), "time %v != %v", *p.w, *p.g)
		}
		*p.w, *p.g = nil, nil
	}
	assert.Equal(t, w, g)
}

func TestSaveFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "robot.json")
	require.NoError(t, Save(path, sampleCredentials()))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	want := `{
    "id": 42,
    "name": "robot$ci",
    "description": "ci robot",
    "secret": "` + rawSecret + `",
    "level": null,
    "duration": null,
    "editable": null,
    "disable": null,
    "expires_at": null,
    "permissions": [
        {
            "kind": "project",
            "namespace": "library",
            "access": [
                {
                    "resource": "repository",
                    "action": "pull"
                }
            ]
        }
    ],
    "creation_time": "2026-11-26T21:30:43.146Z",
    "update_time": null,
    "permissionScope": {
        "coverAll": true
    }
}
`
	assert.Equal(t, want, string(data))
	enc, err := Encode(sampleCredentials())
	require.NoError(t, err)
	assert.Equal(t, want, string(enc))
}

func TestSaveRefusesExistingFileWithoutOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "robot.json")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
	err := Save(path, sampleCredentials())
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrExist)
	assert.Contains(t, err.Error(), path+": file already exists")
	data, _ := os.ReadFile(path)
	assert.Equal(t, "old", string(data))
	assert.Equal(t, []string{"robot.json"}, dirNames(t, filepath.Dir(path)))

	require.NoError(t, Save(path, sampleCredentials(), Overwrite()))
	c, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, rawSecret, c.Secret.Reveal())
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, FileMode, fi.Mode().Perm())
	assert.Equal(t, []string{"robot.json"}, dirNames(t, filepath.Dir(path)))
}

func TestConcurrentSavesWithoutOverwriteOneWins(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "robot.json")
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := sampleCredentials()
			c.Name = fmt.Sprintf("robot$writer-%02d", i)
			c.Secret = NewSecret(fmt.Sprintf("secret-of-writer-%02d", i))
			<-start
			errs[i] = Save(path, c)
		}()
	}
	close(start)
	wg.Wait()

	winner := -1
	for i, err := range errs {
		if err == nil {
			require.Equal(t, -1, winner, "two saves succeeded: %d and %d", winner, i)
			winner = i
			continue
		}
		assert.ErrorIs(t, err, fs.ErrExist, "writer %d", i)
	}
	require.NotEqual(t, -1, winner, "no save succeeded")

	c, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("robot$writer-%02d", winner), c.Name)
	assert.Equal(t, fmt.Sprintf("secret-of-writer-%02d", winner), c.Secret.Reveal())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, json.Valid(data))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, FileMode, fi.Mode().Perm())
	assert.Equal(t, []string{"robot.json"}, dirNames(t, dir), "no temporary file left")
}

// failBeforeCommit makes Save fail between fsync and rename/link.
func failBeforeCommit(t *testing.T) (tmpSeen *string) {
	t.Helper()
	seen := new(string)
	old := beforeCommit
	beforeCommit = func(tmp string) error {
		*seen = tmp
		data, err := os.ReadFile(tmp)
		if err != nil || !json.Valid(data) {
			return fmt.Errorf("temporary file not complete before commit: %v", err)
		}
		return errors.New("simulated crash")
	}
	t.Cleanup(func() { beforeCommit = old })
	return seen
}

func TestInterruptedSaveLeavesOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "robot.json")
	old := sampleCredentials()
	old.Secret = NewSecret("old-secret-value")
	require.NoError(t, Save(path, old))
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	tmp := failBeforeCommit(t)
	err = Save(path, sampleCredentials(), Overwrite())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "simulated crash")
	assert.NotEmpty(t, *tmp, "the hook ran")
	assert.Equal(t, dir, filepath.Dir(*tmp), "the temporary file is in the same directory")

	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "old file unchanged")
	assert.Equal(t, []string{"robot.json"}, dirNames(t, dir), "temporary file removed")

	// Without Overwrite, the path is not created at all.
	other := filepath.Join(dir, "new.json")
	require.Error(t, Save(other, sampleCredentials()))
	assert.NoFileExists(t, other)
	assert.Equal(t, []string{"robot.json"}, dirNames(t, dir))
}

func TestSaveRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.json")
	require.NoError(t, os.WriteFile(target, []byte("target"), 0o600))
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
	dangling := filepath.Join(dir, "dangling.json")
	require.NoError(t, os.Symlink(filepath.Join(dir, "missing.json"), dangling))

	for _, p := range []string{link, dangling} {
		for _, opts := range [][]SaveOption{nil, {Overwrite()}} {
			err := Save(p, sampleCredentials(), opts...)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrSymlink)
			assert.Contains(t, err.Error(), p+": is a symbolic link")
		}
	}
	data, _ := os.ReadFile(target)
	assert.Equal(t, "target", string(data))
	assert.NoFileExists(t, filepath.Join(dir, "missing.json"))
}

func TestSaveRefusesDirectory(t *testing.T) {
	dir := t.TempDir()
	for _, opts := range [][]SaveOption{nil, {Overwrite()}} {
		err := Save(dir, sampleCredentials(), opts...)
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrIsDir)
		assert.Contains(t, err.Error(), dir+": is a directory")
	}
}

func TestSaveMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "robot.json")
	err := Save(path, sampleCredentials())
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.Contains(t, err.Error(), path)
}

func TestSaveValidatesBeforeWriting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "robot.json")
	cases := []struct {
		name     string
		mutate   func(c *Credentials) *Credentials
		sentinel error
		field    string
	}{
		{"nil", func(*Credentials) *Credentials { return nil }, ErrInvalid, ""},
		{"empty name", func(c *Credentials) *Credentials { c.Name = ""; return c }, ErrMissingField, "name"},
		{"empty secret", func(c *Credentials) *Credentials { c.Secret = Secret{}; return c }, ErrMissingField, "secret"},
		{"redacted secret", func(c *Credentials) *Credentials { c.Secret = NewSecret(Redacted); return c }, ErrInvalid, "secret"},
		{"secret not UTF-8", func(c *Credentials) *Credentials { c.Secret = NewSecret("S3cret\xff"); return c }, ErrInvalid, "secret"},
		{"extra shadows field", func(c *Credentials) *Credentials {
			c.Extra = map[string]json.RawMessage{"secret": json.RawMessage(`"x"`)}
			return c
		}, ErrInvalid, "secret"},
		{"extra not JSON", func(c *Credentials) *Credentials {
			c.Extra = map[string]json.RawMessage{"x": json.RawMessage(`{`)}
			return c
		}, ErrInvalid, "x"},
		{"nested extra not JSON", func(c *Credentials) *Credentials {
			c.Permissions[0].Access[0].Extra = map[string]json.RawMessage{"y": nil}
			return c
		}, ErrInvalid, "permissions[0].access[0].y"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Save(path, tc.mutate(sampleCredentials()))
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.sentinel)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.field, e.Field)
			assert.Contains(t, err.Error(), path)
			assert.NotContains(t, err.Error(), "S3cret")
			assert.Empty(t, dirNames(t, dir), "nothing written")
		})
	}
	err := Save("", sampleCredentials())
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestEncodeNilFieldsAsNull(t *testing.T) {
	data, err := Encode(&Credentials{Name: "n", Secret: NewSecret("s"), Permissions: []Permission{}})
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	assert.Equal(t, map[string]any{
		"id": nil, "name": "n", "description": nil, "secret": "s", "level": nil,
		"duration": nil, "editable": nil, "disable": nil, "expires_at": nil,
		"permissions": []any{}, "creation_time": nil, "update_time": nil,
	}, m)
}

// A timestamp encoding/json cannot write is refused, naming the field,
// before anything is written.
func TestSaveRefusesUnwritableTimestamps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "robot.json")
	for _, year := range []int{-1, 10000} {
		bad := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		for field, set := range map[string]func(*Credentials){
			"creation_time": func(c *Credentials) { c.CreationTime = &bad },
			"update_time":   func(c *Credentials) { c.UpdateTime = &bad },
		} {
			c := sampleCredentials()
			set(c)
			err := Save(path, c)
			require.Error(t, err, field)
			assert.ErrorIs(t, err, ErrInvalid)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, field, e.Field)
			assert.Contains(t, err.Error(), "year is outside 0 to 9999")
			assert.Empty(t, dirNames(t, dir), "nothing written")
		}
	}
}
