package harbor_test

import (
	"strings"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// apiRequests is srv's request log without the UI's requests (/c/login,
// /c/log_out) a client with a user's credentials makes to log in.
func apiRequests(srv *harbortest.Server) []harbortest.RecordedRequest {
	var api []harbortest.RecordedRequest
	for _, r := range srv.Requests() {
		if !strings.HasPrefix(r.Path, "/c/") {
			api = append(api, r)
		}
	}
	return api
}
