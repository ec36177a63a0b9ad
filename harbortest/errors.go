package harbortest

import (
	"encoding/json"
	"net/http"
	"strings"
)

// codeUnknown is Harbor's code for a 500, and what some handlers set themselves.
const codeUnknown = "UNKNOWN"

type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func errStatus(status int, msg string) *apiError {
	return &apiError{status, codeForStatus(status), msg}
}

func errBadRequest(msg string) *apiError { return errStatus(http.StatusBadRequest, msg) }
func errUnauthorized() *apiError         { return errStatus(http.StatusUnauthorized, "unauthorized") }

// errAnonymous is the 401 of handlers that name the caller: the anonymous one's name is "" (set4).
func errAnonymous() *apiError              { return errStatus(http.StatusUnauthorized, "") }
func errForbidden(msg string) *apiError    { return errStatus(http.StatusForbidden, msg) }
func errNotFound(msg string) *apiError     { return errStatus(http.StatusNotFound, msg) }
func errConflict(msg string) *apiError     { return errStatus(http.StatusConflict, msg) }
func errPrecondition(msg string) *apiError { return errStatus(http.StatusPreconditionFailed, msg) }
func errInternal() *apiError {
	return errStatus(http.StatusInternalServerError, "internal server error")
}
func errUnprocessable(msg string) *apiError {
	return errStatus(http.StatusUnprocessableEntity, "validation failure list:\n"+msg)
}

// errModel is go-swagger's 422 for a body's model: its list of failures inside the binder's.
func errModel(failures ...string) *apiError {
	return errUnprocessable("validation failure list:\n" + strings.Join(failures, "\n"))
}

func errTooLarge() *apiError {
	return errStatus(http.StatusRequestEntityTooLarge, "request body is larger than 4 MiB, harbortest's limit")
}

// codeForStatus is Harbor's code: the status text in capitals, PRECONDITION for 412, UNKNOWN for 500 or none.
func codeForStatus(status int) string {
	t := strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_"))
	switch {
	case status == http.StatusPreconditionFailed:
		return "PRECONDITION"
	case status == http.StatusInternalServerError, t == "":
		return codeUnknown
	}
	return t
}

// writeError writes Harbor's {"errors":[{"code":..,"message":..}]}, or a status only for no code.
func writeError(w http.ResponseWriter, e *apiError) {
	if e.code == "" {
		w.WriteHeader(e.status)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(map[string][]map[string]string{"errors": {{"code": e.code, "message": e.message}}})
}
