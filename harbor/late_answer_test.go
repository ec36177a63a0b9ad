package harbor

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// untilReceived runs call against a new stub that reads the whole request
// and answers only after the client has left, with a deadline d that call
// gives the client (WithTimeout or the context's), and returns call's error
// once the server did receive the request.
//
// A deadline that ends a request after it was sent is what the callers
// test; on a loaded machine a short one can expire before the request is
// even written (dial, scheduling), and then the server never sees it. So d
// starts short and grows until the request arrived; the stub is closed
// before the check, so every request that reached it has been read.
func untilReceived(t *testing.T, call func(url string, d time.Duration) error) error {
	t.Helper()
	for d := 20 * time.Millisecond; ; d *= 4 {
		received := make(chan struct{}, 1)
		s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
			if _, err := io.Copy(io.Discard, r.Body); err == nil {
				received <- struct{}{}
			}
			<-r.Context().Done() // answer only after the client gave up
		})
		err := call(s.URL, d)
		s.Close() // waits for the handler: received holds whether the request arrived
		select {
		case <-received:
			return err
		default:
		}
		require.Less(t, d, time.Minute, "the request never reached the server; last error: %v", err)
	}
}
