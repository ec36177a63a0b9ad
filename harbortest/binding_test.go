package harbortest_test

import (
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// TestBindingBeforeHandler checks that bodies, page and page_size are bound
// before the handler runs, as Harbor's go-swagger server does: a malformed
// one is refused before the permission check and the path lookups.
func TestBindingBeforeHandler(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddUser("dev", "Passw0rd1", false)
	srv.AddProject("p1", false)
	const art = "/api/v2.0/projects/nope/repositories/app/artifacts/1.0"
	runMoreSteps(t, srv, []moreStep{
		{name: "malformed body before permission", method: "POST", path: "/api/v2.0/system/oidc/ping", user: "dev",
			body: `{"url":`, wantStatus: 422, wantBody: []string{`parsing endpoint body from \"\" failed, because unexpected EOF`}},
		{name: "permission once bound", method: "POST", path: "/api/v2.0/system/oidc/ping", user: "dev",
			body: `{"url":""}`, wantStatus: 403},
		{name: "malformed body before the project lookup", method: "POST",
			path: "/api/v2.0/projects/nope/preheat/policies", user: "admin", body: `[]`, wantStatus: 422,
			wantBody: []string{"parsing policy body from"}},
		{name: "required body", method: "POST", path: art + "/scan/stop", user: "admin", wantStatus: 422,
			wantBody: []string{"scanType in body is required"}},
		{name: "required body present", method: "POST", path: art + "/scan/stop", user: "admin",
			body: `{"scan_type":"vulnerability"}`, wantStatus: 404},
		{name: "cli secret body", method: "PUT", path: "/api/v2.0/users/1/cli_secret", user: "admin", wantStatus: 422,
			wantBody: []string{"secret in body is required"}},
		{name: "label body", method: "POST", path: art + "/labels", user: "admin", body: `{"id":"1"}`, wantStatus: 422,
			wantBody: []string{"parsing label body from"}},
		{name: "repository body required", method: "PUT", path: "/api/v2.0/projects/p1/repositories/app", user: "admin",
			wantStatus: 422, wantBody: []string{"repository in body is required"}},

		{name: "optional body absent", method: "POST", path: art + "/scan", user: "admin", wantStatus: 404},
		{name: "optional body malformed", method: "POST", path: art + "/scan", user: "admin", body: `{"scan_type":1}`,
			wantStatus: 422, wantBody: []string{"parsing scanType body from"}},
		{name: "optional body enum", method: "POST", path: art + "/scan", user: "admin", body: `{"scan_type":"x"}`,
			wantStatus: 422, wantBody: []string{"scan_type in body should be one of [vulnerability sbom]"}},
		{name: "ldap ping without body", method: "POST", path: "/api/v2.0/ldap/ping", user: "admin", wantStatus: 500},
		{name: "ldap ping malformed", method: "POST", path: "/api/v2.0/ldap/ping", user: "dev", body: `{`,
			wantStatus: 422, wantBody: []string{"parsing ldapconf body from"}},

		{name: "page before permission", method: "GET", path: "/api/v2.0/security/vul?page_size=101", user: "dev",
			wantStatus: 422, wantBody: []string{"page_size in query should be less than or equal to 100"}},
		{name: "permission once bound", method: "GET", path: "/api/v2.0/security/vul?page_size=100", user: "dev", wantStatus: 403},
		{name: "page before q", method: "GET", path: "/api/v2.0/projects?page=x&q=bad", user: "admin", wantStatus: 422,
			wantBody: []string{"page in query must be of type int64"}},
		{name: "q once the page is bound", method: "GET", path: "/api/v2.0/projects?q=bad", user: "admin", wantStatus: 400},
	})
}
