package harbor

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Body handling. No body is ever cut:
//
//   - an answer that declares a length of at most maxReadAhead (all of
//     Harbor's API answers but exports) is read whole within the attempt,
//     so a connection cut mid-body is an attempt that failed (retried for
//     idempotent methods, ErrOutcomeUnknown for others), never half a value;
//   - any other answer (chunked, or longer) is handed on as the server
//     streams it, so a 20 MB export arrives whole and an answer written to
//     an io.Writer does not grow memory. Closing it reads what is left (up
//     to maxDrain) so the connection goes back to the pool even when a
//     decoder stopped before the end.
//
// Error bodies: a bounded copy (maxErrorBody) is kept for *Error.
const (
	maxReadAhead = 1 << 20  // read answers of a known length up to this whole, within the attempt
	maxDrain     = 1 << 20  // read at most this much of an unread body to keep the connection
	maxErrorBody = 64 << 10 // keep at most this much of an error answer's body
	maxErrorText = 512      // Error.Body: at most this much of a body that is not Harbor's JSON
)

// bodyTransport is the innermost layer: it reads short answers whole and
// makes the others drain on close.
type bodyTransport struct{ next http.RoundTripper }

func (t bodyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if req.Method == http.MethodHead || resp.Body == http.NoBody {
		return resp, nil // no body, whatever Content-Length says
	}
	if resp.ContentLength < 0 || resp.ContentLength > maxReadAhead {
		resp.Body = &drainingBody{ReadCloser: resp.Body}
		return resp, nil
	}
	buf := make([]byte, resp.ContentLength)
	n, err := io.ReadFull(resp.Body, buf)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("reading the answer (%d of %d bytes): %w", n, resp.ContentLength, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(buf))
	return resp, nil
}

// drainingBody reads what is left (bounded) on Close, so the connection
// can be reused. Its read errors are *readError.
type drainingBody struct{ io.ReadCloser }

func (d *drainingBody) Read(p []byte) (int, error) {
	n, err := d.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = &readError{err: err}
	}
	return n, err
}

// isReadError reports whether err is a failure to read a streamed answer.
func isReadError(err error) bool {
	var re *readError
	return errors.As(err, &re)
}

func (d *drainingBody) Close() error {
	_, _ = io.Copy(io.Discard, io.LimitReader(d.ReadCloser, maxDrain))
	return d.ReadCloser.Close()
}

// discard drains and closes the body of an answer that is not used (a
// retried attempt).
func discard(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	resp.Body.Close()
}

// readErrorBody returns the first maxErrorBody bytes of an error answer's
// body; a read error only shortens the copy (the status is the answer).
func readErrorBody(body io.Reader) []byte {
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(io.LimitReader(body, maxErrorBody))
	return buf.Bytes()
}
