// Package exampletest holds what the examples' tests share: an in-memory
// Harbor reached with a wrong password, the case where Harbor answers
// public reads anonymously (issue 18 item 4).
package exampletest

import (
	"slices"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// WrongPassword starts an in-memory Harbor with a private project
// "private-data" holding an image, and points HARBOR_URL at it as its
// administrator with a wrong password (no HARBOR_CREDENTIALS_FILE). The
// request log starts empty.
func WrongPassword(t *testing.T) *harbortest.Server {
	t.Helper()
	srv := harbortest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddProject("private-data", false)
	srv.AddImage("private-data", "app", "1")
	t.Setenv("HARBOR_URL", srv.URL)
	t.Setenv("HARBOR_USERNAME", srv.AdminUsername)
	t.Setenv("HARBOR_PASSWORD", "Wrong12345")
	t.Setenv("HARBOR_CREDENTIALS_FILE", "")
	srv.ResetRequests()
	return srv
}

// OnlyChecked fails t unless srv saw no request but the credentials check
// (GET /users/current, and a session's login).
func OnlyChecked(t *testing.T, srv *harbortest.Server) {
	t.Helper()
	for _, r := range srv.Requests() {
		if !slices.Contains([]string{"/c/login", "/api/v2.0/users/current"}, r.Path) {
			t.Errorf("%s %s sent with credentials Harbor refused", r.Method, r.Path)
		}
	}
}
