package harbor

import (
	"log/slog"
	"net/http"
	"time"
)

// loggingTransport writes one debug record per attempt: method, path,
// status, duration, Harbor's request id, attempt number and error. No other
// header value, query or body is ever logged.
type loggingTransport struct {
	next   http.RoundTripper
	logger *slog.Logger
	auth   *clientAuth // redacts requests outside a call too (the session's logout)
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if !t.logger.Enabled(ctx, slog.LevelDebug) {
		return t.next.RoundTrip(req)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	c := callOf(ctx)
	attempt, extra := 1, ""
	if c != nil {
		attempt, extra = max(c.attempt, 1), c.bodySecret
	}
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Duration("duration", time.Since(start)),
		slog.Int("attempt", attempt),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if id := requestID(req, resp); id != "" {
		attrs = append(attrs, slog.String("request_id", t.auth.redact(id, extra)))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", t.auth.redact(err.Error(), extra)))
	}
	t.logger.LogAttrs(ctx, slog.LevelDebug, "harbor request", attrs...)
	return resp, err
}

// requestID is the exchange's X-Request-Id: Harbor's answer's, else the caller's.
func requestID(req *http.Request, resp *http.Response) string {
	if resp != nil {
		if id := resp.Header.Get(headerRequestID); id != "" {
			return id
		}
	}
	return req.Header.Get(headerRequestID)
}
