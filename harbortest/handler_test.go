package harbortest_test

import (
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// zeros is an endless-looking body of n bytes that allocates nothing.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > z.n {
		p = p[:z.n]
	}
	for i := range p {
		p[i] = ' '
	}
	z.n -= int64(len(p))
	return len(p), nil
}

// postHuge sends a 200 MiB body (with its length, or chunked) and returns
// the status (0 when the server closed the connection before the client
// could read an answer) and how many bytes the process allocated meanwhile.
func postHuge(t *testing.T, srv *harbortest.Server, user, pass string, chunked bool) (int, uint64) {
	t.Helper()
	const size = 200 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var body io.Reader = &zeros{size}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/v2.0/projects", io.NopCloser(body))
	require.NoError(t, err)
	if !chunked {
		req.ContentLength = size
	}
	req.Header.Set("Content-Type", "application/json")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	status := 0
	resp, err := srv.HTTPClient().Do(req)
	if err == nil {
		status = resp.StatusCode
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	runtime.ReadMemStats(&after)
	return status, after.TotalAlloc - before.TotalAlloc
}

// A 200 MiB body costs the server at most its bounded read: an anonymous
// write is refused before its body is read, an authenticated one is cut at
// 4 MiB with 413. (Reading it whole allocated 516 MiB.)
func TestHugeBodyBounded(t *testing.T) {
	srv := harbortest.New(t)
	for _, tc := range []struct {
		name, user, pass string
		chunked          bool
		want             int
	}{
		{"anonymous", "", "", false, http.StatusUnauthorized},
		{"anonymous chunked", "", "", true, http.StatusUnauthorized},
		{"wrong password", "admin", "nope", false, http.StatusUnauthorized},
		{"admin", "admin", "Harbor12345", false, http.StatusRequestEntityTooLarge},
		{"admin chunked", "admin", "Harbor12345", true, http.StatusRequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, alloc := postHuge(t, srv, tc.user, tc.pass, tc.chunked)
			t.Logf("status %d, %.1f MiB allocated", status, float64(alloc)/(1<<20))
			if status != 0 { // the server may close the connection before the client reads the answer
				assert.Equal(t, tc.want, status)
			}
			assert.Less(t, alloc, uint64(48<<20), "allocated %d MiB for a 200 MiB body", alloc>>20)
		})
	}
	st, h, _ := call(t, srv, "GET", "/api/v2.0/projects", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, "1", h.Get("X-Total-Count"), "only library: nothing was created")
}

// A body at the limit is read; one byte more is 413 in Harbor's error shape.
func TestBodyLimitEdge(t *testing.T) {
	srv := harbortest.New(t)
	pad := func(n int) string {
		b := `{"project_name":"edge","metadata":{"public":"false"}}`
		return b + strings.Repeat(" ", n-len(b))
	}
	st, _, b := call(t, srv, "POST", "/api/v2.0/projects", "admin", "Harbor12345", pad(4<<20))
	assert.Equal(t, http.StatusCreated, st, b)
	st, h, b := call(t, srv, "POST", "/api/v2.0/projects", "admin", "Harbor12345", pad(4<<20+1))
	assert.Equal(t, http.StatusRequestEntityTooLarge, st)
	assert.Contains(t, h.Get("Content-Type"), "application/json")
	assert.JSONEq(t, `{"errors":[{"code":"REQUEST_ENTITY_TOO_LARGE","message":"request body is larger than 4 MiB, harbortest's limit"}]}`, b)
}
