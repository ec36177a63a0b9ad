package harbor

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/scan_data_export"
)

// 50 MB chunked answers that are not used whole: an error page (its copy
// is bounded) and a 2xx HTML portal page (refused unread). Neither makes
// memory grow with the body, and both still give their errors.
func TestLargeChunkedAnswersThatAreNotUsed(t *testing.T) {
	const size = 50 << 20
	chunk := bytes.Repeat([]byte("<p>proxy</p>"), 4096)
	for _, tc := range []struct {
		name   string
		status int
		want   error
	}{
		{"500 HTML", 500, ErrServer},
		{"200 HTML", 200, ErrUnexpectedContent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(tc.status)
				for sent := 0; sent < size; sent += len(chunk) {
					if _, err := w.Write(chunk); err != nil {
						return // the client went away: expected
					}
				}
			})
			c := newStubClient(t, s.URL, WithoutRetry())
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := c.API().ScanDataExport.DownloadScanData(t.Context(),
				scan_data_export.NewDownloadScanDataParams().WithExecutionID(1), io.Discard)
			runtime.ReadMemStats(&after)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(size/10), "memory grew with the body")
		})
	}
}
