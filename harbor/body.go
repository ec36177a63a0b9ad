package harbor

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Body handling. A short answer of a known length to an idempotent request is read whole
// within the attempt, so a cut mid-body is retried, never half a value; any other is streamed,
// and the call's answerBody drains what its reader left (go-openapi's JSON consumer leaves a
// chunked body's end unread) so the connection is reused.
const (
	maxReadAhead = 1 << 20  // read answers of a known length up to this whole, within the attempt
	maxDrain     = 1 << 20  // read at most this much of an unread body to keep the connection
	maxErrorBody = 64 << 10 // keep at most this much of an error answer's body
	maxErrorText = 512      // Error.Body: at most this much of a body that is not Harbor's JSON
)

// bodyTransport is the innermost layer: it reads short answers to idempotent requests whole.
type bodyTransport struct{ next http.RoundTripper }

func (t bodyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := callOf(req.Context())
	if c == nil { // a session's logout
		c = new(call)
	}
	c.wrote.Store(false) // until this attempt's request is written (a session's login came before)
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	// HEAD has no body, whatever Content-Length says.
	if req.Method == http.MethodHead || resp.Body == http.NoBody || !isIdempotent(req.Method) ||
		resp.ContentLength < 0 || resp.ContentLength > maxReadAhead {
		return resp, nil
	}
	buf := make([]byte, resp.ContentLength)
	n, err := io.ReadFull(resp.Body, buf)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("reading the answer (%d of %d bytes): %w", n, resp.ContentLength, err)
	}
	c.whole.Reset(buf) // an attempt's answer is read or discarded before the next is sent
	resp.Body = &c.whole
	return resp, nil
}

// wholeBody is an answer read whole.
type wholeBody struct{ bytes.Reader }

func (*wholeBody) Close() error { return nil }

// answerBody is how a call reads its answer: read errors are *readError, and
// drain reads what the reader left, so the connection is reused and a cut seen.
type answerBody struct {
	rc   io.ReadCloser
	left io.LimitedReader
}

func (b *answerBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err != nil && err != io.EOF {
		err = &readError{err: err}
	}
	return n, err
}

func (b *answerBody) Close() error { return b.rc.Close() }

func (b *answerBody) drain() error {
	b.left = io.LimitedReader{R: b, N: maxDrain}
	_, err := io.Copy(io.Discard, &b.left)
	return err
}

// isReadError reports whether err is a failure to read a streamed answer.
func isReadError(err error) bool {
	var re *readError
	return errors.As(err, &re)
}

// discard drains and closes the body of an answer that is not used.
func discard(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	resp.Body.Close()
}

// readErrorBody returns the first maxErrorBody bytes of an error answer's
// body; a read error only shortens the copy (the status is the answer).
func readErrorBody(body io.Reader) []byte {
	text, _ := io.ReadAll(io.LimitReader(body, maxErrorBody))
	return text
}
