package harbortest

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Harbor error codes, as found in the "code" field of an error body.
const (
	codeBadRequest    = "BAD_REQUEST"
	codeUnauthorized  = "UNAUTHORIZED"
	codeForbidden     = "FORBIDDEN"
	codeNotFound      = "NOT_FOUND"
	codeConflict      = "CONFLICT"
	codePrecondition  = "PRECONDITION"
	codeUnprocessable = "UNPROCESSABLE_ENTITY"
	codeUnknown       = "UNKNOWN"
)

// apiError is an error answer in Harbor's shape.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func errBadRequest(msg string) *apiError {
	return &apiError{http.StatusBadRequest, codeBadRequest, msg}
}
func errUnauthorized() *apiError {
	return &apiError{http.StatusUnauthorized, codeUnauthorized, "unauthorized"}
}
func errForbidden(msg string) *apiError { return &apiError{http.StatusForbidden, codeForbidden, msg} }
func errNotFound(msg string) *apiError  { return &apiError{http.StatusNotFound, codeNotFound, msg} }
func errConflict(msg string) *apiError  { return &apiError{http.StatusConflict, codeConflict, msg} }
func errPrecondition(msg string) *apiError {
	return &apiError{http.StatusPreconditionFailed, codePrecondition, msg}
}
func errUnprocessable(msg string) *apiError {
	return &apiError{http.StatusUnprocessableEntity, codeUnprocessable, "validation failure list:\n" + msg}
}

// codeForStatus is Harbor's code for a status: its text in capitals, but
// PRECONDITION for 412 and UNKNOWN for 500 and unknown ones.
func codeForStatus(status int) string {
	t := strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_"))
	switch {
	case status == http.StatusPreconditionFailed:
		return codePrecondition
	case status == http.StatusInternalServerError, t == "":
		return codeUnknown
	}
	return t
}

// writeError writes a Harbor error body: {"errors":[{"code":..,"message":..}]};
// an apiError without a code is answered with its status only.
func writeError(w http.ResponseWriter, e *apiError) {
	if e.code == "" {
		w.WriteHeader(e.status)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(e.status)
	type item struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	_ = json.NewEncoder(w).Encode(map[string][]item{"errors": {{e.code, e.message}}})
}

func jsonUnmarshalString(s string, v any) error { return json.Unmarshal([]byte(s), v) }
