package harbor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A 50 MB addition sent in chunks (an SBOM as JSON, a values.yaml as
// text) arrives whole; cut in the middle, it is an error, never a shorter
// document.
func TestLargeChunkedAdditionArrivesWholeOrFails(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 200 MB in all; skipped with -short")
	}
	const size = 50 << 20
	item := []byte(`{"name":"pkg","version":"1.0.0","purl":"pkg:deb/debian/pkg@1.0.0"},`)
	jsonBody := append([]byte(`{"packages":[`), bytes.Repeat(item, size/len(item))...)
	jsonBody = append(jsonBody[:len(jsonBody)-1], ']', '}')
	textBody := bytes.Repeat([]byte("key: value\n"), size/11)
	for _, tc := range []struct {
		name, contentType string
		body              []byte
		cut               bool
	}{
		{"json", "application/json", jsonBody, false},
		{"text", "text/plain; charset=utf-8", textBody, false},
		{"json cut", "application/json", jsonBody, true},
		{"text cut", "text/plain; charset=utf-8", textBody, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(http.StatusOK)
				end := len(tc.body)
				if tc.cut {
					end /= 2
				}
				for i := 0; i < end; i += 1 << 20 {
					if _, err := w.Write(tc.body[i:min(i+1<<20, end)]); err != nil {
						return
					}
					w.(http.Flusher).Flush() // no Content-Length: chunked
				}
				if tc.cut {
					if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
						_ = conn.Close()
					}
				}
			})
			c := newStubClient(t, s.URL, WithBasicAuth("u", originSecret))
			raw, err := c.ArtifactAddition(t.Context(), "p", "team/app", "latest", "sbom")
			if tc.cut {
				require.Error(t, err)
				assert.Nil(t, raw)
				assert.ErrorContains(t, err, "unexpected EOF")
				assert.NotErrorIs(t, err, ErrOutcomeUnknown)
				return
			}
			require.NoError(t, err)
			if tc.name == "text" {
				var text string
				require.NoError(t, json.Unmarshal(raw, &text))
				assert.Equal(t, len(tc.body), len(text), "text arrived whole")
				return
			}
			assert.Equal(t, len(tc.body), len(raw), fmt.Sprintf("JSON arrived whole (%d of %d bytes)", len(raw), len(tc.body)))
		})
	}
}
