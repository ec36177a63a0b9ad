package harbor

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/client/scan_data_export"
	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/internal/bench"
)

// writeChunked writes total bytes of line repeated, flushed as it goes, so
// the answer is chunked (no Content-Length).
func writeChunked(w http.ResponseWriter, contentType string, parts ...func(io.Writer)) {
	w.Header().Set("Content-Type", contentType)
	for _, p := range parts {
		p(w)
		w.(http.Flusher).Flush()
	}
}

// A 20 MB chunked CSV export arrives whole, byte for byte, and streams:
// the client allocates far less than the body's size.
func TestLargeChunkedExportStreamsWhole(t *testing.T) {
	const size = 20 << 20
	line := bytes.Repeat([]byte("CVE-2026-0001,\"pkg, with comma\",HIGH\r\n"), 1024)
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		writeChunked(w, "text/csv", func(w io.Writer) {
			for sent := 0; sent < size; sent += len(line) {
				_, _ = w.Write(line)
			}
		})
	})
	c := newStubClient(t, s.URL)
	want := sha256.New()
	for sent := 0; sent < size; sent += len(line) {
		want.Write(line)
	}
	got := sha256.New()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := c.API().ScanDataExport.DownloadScanData(t.Context(), scan_data_export.NewDownloadScanDataParams().WithExecutionID(1), got)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	assert.Equal(t, want.Sum(nil), got.Sum(nil), "the export arrived whole and unchanged")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(size/4), "memory grew with the body")
}

// A 17 MB chunked JSON list decodes whole.
func TestLargeChunkedJSONListDecodesWhole(t *testing.T) {
	name := strings.Repeat("p", 1000)
	const n = 17 * 1024
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		writeChunked(w, "application/json", func(w io.Writer) {
			_, _ = io.WriteString(w, "[")
			for i := range n {
				if i > 0 {
					_, _ = io.WriteString(w, ",")
				}
				fmt.Fprintf(w, `{"name":"%s-%d","creation_time":"2026-11-26T21:30:21.147Z"}`, name, i)
			}
			_, _ = io.WriteString(w, "]")
		})
	})
	c := newStubClient(t, s.URL)
	res, err := c.API().Project.ListProjects(t.Context(), project.NewListProjectsParams())
	require.NoError(t, err)
	require.Len(t, res.Payload, n)
	assert.Equal(t, fmt.Sprintf("%s-%d", name, n-1), res.Payload[n-1].Name)
	assert.Equal(t, 147, time.Time(res.Payload[n-1].CreationTime).Nanosecond()/1e6, "Harbor's millisecond timestamps parse")
}

// readErrorBody keeps a bounded copy, and bodyTransport reads short
// answers to idempotent requests whole and leaves the others to stream.
func TestBodyLayer(t *testing.T) {
	assert.Len(t, readErrorBody(strings.NewReader(strings.Repeat("x", 3*maxErrorBody))), maxErrorBody)

	short := &http.Response{ContentLength: 3, Body: io.NopCloser(strings.NewReader("abc"))}
	resp, err := bodyTransport{next: roundTripper(short)}.RoundTrip(&http.Request{Method: http.MethodGet})
	require.NoError(t, err)
	data, _ := io.ReadAll(resp.Body)
	assert.Equal(t, "abc", string(data))
	require.NoError(t, resp.Body.Close())

	head := &http.Response{ContentLength: 10, Body: http.NoBody}
	resp, err = bodyTransport{next: roundTripper(head)}.RoundTrip(&http.Request{Method: http.MethodHead})
	require.NoError(t, err, "a HEAD answer's Content-Length announces no body")
	assert.Equal(t, http.NoBody, resp.Body)

	cut := &http.Response{ContentLength: 10, Body: io.NopCloser(strings.NewReader("abc"))}
	_, err = bodyTransport{next: roundTripper(cut)}.RoundTrip(&http.Request{Method: http.MethodGet})
	assert.ErrorContains(t, err, "reading the answer (3 of 10 bytes)")

	cut = &http.Response{ContentLength: 10, Body: io.NopCloser(strings.NewReader("abc"))}
	resp, err = bodyTransport{next: roundTripper(cut)}.RoundTrip(&http.Request{Method: http.MethodPost})
	require.NoError(t, err, "a POST's answer is not read ahead: it is not retried")
	assert.Equal(t, cut.Body, resp.Body)

	// A call reads a streamed answer through its answerBody: a read error
	// is a readError, and drain reads what is left.
	var b answerBody
	b.rc = io.NopCloser(io.MultiReader(strings.NewReader("abc"), failingReader{}))
	_, err = io.ReadAll(&b)
	assert.True(t, isReadError(err), "a stream's read error is a readError: %v", err)
	rest := strings.NewReader(strings.Repeat("x", 2*maxDrain))
	b.rc = io.NopCloser(rest)
	b.drain()
	assert.Equal(t, maxDrain, rest.Len(), "drained, bounded")
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func roundTripper(resp *http.Response) http.RoundTripper {
	return roundTripFunc(func(*http.Request) (*http.Response, error) { return resp, nil })
}

// A streamed answer cut mid-body is a broken exchange, not unexpected
// content: the error names the URL; for a POST it is ErrOutcomeUnknown.
func TestStreamCutMidBody(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
		}
		_, _ = io.WriteString(w, `[{"name":"a"},`)
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler) // the connection is cut
	})
	c := newStubClient(t, s.URL, WithoutRetry())
	err := listProjects(c, t.Context())
	require.Error(t, err)
	assert.True(t, isReadError(err), "%v", err)
	assert.NotErrorIs(t, err, ErrUnexpectedContent)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "GET "+s.URL+"/api/v2.0/projects: reading the answer")

	_, err = c.API().Robot.CreateRobot(t.Context(), robot.NewCreateRobotParams().WithRobot(&models.RobotCreate{Name: "r"}))
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.NotErrorIs(t, err, ErrUnexpectedContent)
}

// Harbor sends its 100-item pages chunked, and go-openapi's JSON consumer
// stops reading at the end of the value: the body layer drains the rest on
// close, so 1,000 calls share one connection.
func TestChunkedPagesReuseOneConnection(t *testing.T) {
	srv := bench.NewServer(true)
	defer srv.Close()
	c := newStubClient(t, srv.URL)
	for range 1000 {
		res, err := c.API().Project.ListProjects(t.Context(), project.NewListProjectsParams())
		require.NoError(t, err)
		require.Len(t, res.Payload, bench.PageSize)
	}
	// One connection serves them all (BENCHMARKS.md: 1 per 1,000); net/http
	// recycles a connection only once its writer confirmed the request
	// within 50 ms (persistConn.wroteRequest), which a loaded machine under
	// -race can miss now and then. Without the drain it is 1,000.
	t.Logf("%d connections for 1,000 calls", srv.ConnectionsAccepted())
	assert.Less(t, srv.ConnectionsAccepted(), int64(20))
}

// A HEAD answer announces the GET's Content-Length but has no body.
func TestHeadAnswerWithContentLength(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "20")
		w.WriteHeader(http.StatusOK)
	})
	_, err := newStubClient(t, s.URL).API().Project.HeadProject(t.Context(), project.NewHeadProjectParams().WithProjectName("p"))
	require.NoError(t, err)
}

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
