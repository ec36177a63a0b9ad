package webhook

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"net/http"
)

// DefaultMaxBodyBytes bounds a delivery's body unless [WithMaxBodyBytes] says
// otherwise. Harbor's payloads are a few KiB.
const DefaultMaxBodyBytes = 1 << 20

// Handler is an http.Handler that receives Harbor's webhook deliveries for
// one policy target (or several sharing one auth header). Make it with
// [NewHandler].
//
// It answers:
//
//   - 405 to anything but POST;
//   - 401 when Authorization is not exactly the auth header (compared in
//     constant time);
//   - 415 to a content type other than application/json (Default) or
//     application/cloudevents+json (CloudEvents);
//   - 413 to a body over the limit;
//   - 202 to a body that is not a Harbor payload (broken JSON, a Slack
//     message, a CloudEvents body sent as application/json): Harbor retries
//     every non-2xx answer with the same bytes, which would fail the same way,
//     so such a body is accepted, not handled, and reported to the reject
//     function;
//   - 500 when the handle function returns an error, so that Harbor retries
//     (up to 3 attempts in all by default);
//   - 200 when it returns nil.
//
// Every answer but 200 is reported to the reject function (see
// [WithRejectFunc]). The auth header never appears in an answer, an error or
// a log line.
type Handler struct {
	// authOK checks an Authorization value; the auth header lives only in
	// its closure, out of reach of fmt, encoders and loggers. nil: no check.
	authOK   func(got string) bool
	noAuth   bool
	handle   func(context.Context, *Event) error
	maxBody  int64
	onReject func(r *http.Request, status int, err error)
}

// Option configures a [Handler].
type Option func(*Handler) error

// WithMaxBodyBytes bounds the body (default [DefaultMaxBodyBytes]); larger
// bodies are answered 413 without being read to the end.
func WithMaxBodyBytes(n int64) Option {
	return func(h *Handler) error {
		if n <= 0 {
			return fmt.Errorf("webhook: NewHandler: max body bytes must be positive, got %d", n)
		}
		h.maxBody = n
		return nil
	}
}

// WithRejectFunc sets the function told about every request not answered
// 200: its status and why. The request it gets has no Authorization header.
// By default each is logged with the standard logger: method, path, remote
// address, status and reason.
func WithRejectFunc(f func(r *http.Request, status int, err error)) Option {
	return func(h *Handler) error {
		if f == nil {
			return errors.New("webhook: NewHandler: nil reject function")
		}
		h.onReject = f
		return nil
	}
}

// WithoutAuthHeader accepts deliveries without checking Authorization, for
// a policy target that has no auth_header. Anyone who can reach the receiver
// can then send it events.
func WithoutAuthHeader() Option {
	return func(h *Handler) error { h.noAuth = true; return nil }
}

// NewHandler returns a Handler that checks every delivery against
// authHeader (the policy target's auth_header, which Harbor sends verbatim
// as Authorization) and hands each decoded event to handle. handle runs on
// the request's goroutine with its context; an error makes Harbor retry the
// same bytes later (see [Event].Key to handle a redelivery once).
func NewHandler(authHeader string, handle func(ctx context.Context, ev *Event) error, opts ...Option) (*Handler, error) {
	if handle == nil {
		return nil, errors.New("webhook: NewHandler: nil handle function")
	}
	h := &Handler{handle: handle, maxBody: DefaultMaxBodyBytes,
		onReject: func(r *http.Request, status int, err error) {
			log.Printf("webhook: %s %s from %s: %d: %v", r.Method, r.URL.Path, r.RemoteAddr, status, err)
		}}
	for _, o := range opts {
		if err := o(h); err != nil {
			return nil, err
		}
	}
	if h.noAuth {
		return h, nil
	}
	if authHeader == "" {
		return nil, errors.New("webhook: NewHandler: empty auth header (use WithoutAuthHeader for a target without one)")
	}
	want := sha256.Sum256([]byte(authHeader)) // equal lengths: the compare leaks nothing
	h.authOK = func(got string) bool {
		sum := sha256.Sum256([]byte(got))
		return subtle.ConstantTimeCompare(sum[:], want[:]) == 1
	}
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	status, err := h.serve(r)
	if err == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	if status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}
	msg := err.Error()
	if status == http.StatusInternalServerError {
		// Harbor quotes the answer in its task log: keep the user's error out.
		msg = "webhook: event not handled; Harbor will retry"
	}
	http.Error(w, msg, status)
	rr := r.Clone(r.Context())
	rr.Header.Del("Authorization")
	h.onReject(rr, status, err)
}

func (h *Handler) serve(r *http.Request) (int, error) {
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, fmt.Errorf("webhook: method %s, want POST", r.Method)
	}
	if h.authOK != nil {
		got := r.Header.Values("Authorization")
		if len(got) != 1 {
			return http.StatusUnauthorized, fmt.Errorf("webhook: %d Authorization headers, want 1", len(got))
		}
		if !h.authOK(got[0]) {
			return http.StatusUnauthorized, errors.New("webhook: Authorization is not the policy's auth header")
		}
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	want := map[string]Format{"application/json": Default, "application/cloudevents+json": CloudEvents}[mt]
	if want == "" {
		return http.StatusUnsupportedMediaType, fmt.Errorf("webhook: content type %q, want application/json or application/cloudevents+json", r.Header.Get("Content-Type"))
	}
	if r.ContentLength > h.maxBody {
		return http.StatusRequestEntityTooLarge, fmt.Errorf("webhook: body of %d bytes, limit %d", r.ContentLength, h.maxBody)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.maxBody+1))
	if err != nil {
		return http.StatusBadRequest, fmt.Errorf("webhook: reading the body: %w", err)
	}
	if int64(len(body)) > h.maxBody {
		return http.StatusRequestEntityTooLarge, fmt.Errorf("webhook: body over the limit of %d bytes", h.maxBody)
	}
	ev, err := Decode(body)
	if err == nil && ev.Format != want {
		err = badPayload("a %s payload sent as %s", ev.Format, mt)
	}
	if err != nil {
		return http.StatusAccepted, err
	}
	if err := h.handle(r.Context(), ev); err != nil {
		return http.StatusInternalServerError, fmt.Errorf("webhook: handling %s %s: %w", ev.Type, ev.Key, err)
	}
	return http.StatusOK, nil
}
