package harbor

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoggingOneRecordPerAttemptWithoutSecrets(t *testing.T) {
	const secret = "Sup3rSecretValue"
	var calls atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", fmt.Sprint("harbor-", calls.Add(1)))
		if calls.Load() == 1 {
			writeJSON(w, 503, `{}`)
			return
		}
		writeJSON(w, 200, `[]`)
	})
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newStubClient(t, s.URL, WithBasicAuth("admin", secret), WithLogger(logger), WithRetry(fastRetry))
	require.NoError(t, listProjects(c, t.Context()))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 3)
	// The stub has no /c/login (404): the client keeps basic auth.
	assert.Contains(t, lines[0], `"path":"/c/login","duration"`)
	lines = lines[1:]
	assert.Contains(t, lines[0], `"status":503`)
	assert.Contains(t, lines[0], `"attempt":1`)
	assert.Contains(t, lines[1], `"status":200`)
	assert.Contains(t, lines[1], `"attempt":2`)
	assert.Contains(t, lines[1], `"path":"/api/v2.0/projects"`)
	assert.Contains(t, lines[0], `"request_id":"harbor-1"`)
	assert.Contains(t, lines[1], `"request_id":"harbor-2"`)
	assert.NotContains(t, buf.String(), secret)
	assert.NotContains(t, buf.String(), "Authorization")
	assert.NotContains(t, buf.String(), "Basic ")
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", c, c, c), secret)
}
