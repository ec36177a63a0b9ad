package harbortest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

func TestLDAPInDBAuthMode(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddUser("dev", "Passw0rd1", false)
	runMoreSteps(t, srv, []moreStep{
		{name: "no body", method: "POST", path: "/api/v2.0/ldap/ping", user: "admin", wantStatus: 500,
			wantHeader: map[string]string{"Content-Length": "0", "Content-Type": ""}},
		{name: "nothing to fall back on", method: "POST", path: "/api/v2.0/ldap/ping", user: "admin", body: `{}`,
			wantStatus: 200, wantBody: []string{`{"message":"error: empty password"}`}},
		{name: "no LDAP server", method: "POST", path: "/api/v2.0/ldap/ping", user: "admin",
			body:       `{"ldap_url":"ldap://127.0.0.1:1","ldap_search_password":"x"}`,
			wantStatus: 200, wantBody: []string{`{"message":"error: ldap server network timeout"}`}, notBody: []string{"success"}},
		{name: "anonymous", method: "POST", path: "/api/v2.0/ldap/ping", body: `{}`, wantStatus: 401},
		{name: "not admin", method: "POST", path: "/api/v2.0/ldap/ping", user: "dev", body: `{}`, wantStatus: 403},
		{name: "user search", method: "GET", path: "/api/v2.0/ldap/users/search?username=a", user: "admin", wantStatus: 500},
		{name: "group search", method: "GET", path: "/api/v2.0/ldap/groups/search?groupname=a", user: "admin", wantStatus: 500},
		{name: "group search not admin", method: "GET", path: "/api/v2.0/ldap/groups/search", user: "dev", wantStatus: 403},
		{name: "import", method: "POST", path: "/api/v2.0/ldap/users/import", user: "admin",
			body: `{"ldap_uid_list":["a"]}`, wantStatus: 500},
		{name: "import without body", method: "POST", path: "/api/v2.0/ldap/users/import", user: "admin",
			wantStatus: 422, wantBody: []string{"uid_list in body is required"}},
	})
}

func TestOIDCPing(t *testing.T) {
	srv := harbortest.New(t)
	hs, checks := healthyProvider(t)
	runMoreSteps(t, srv, []moreStep{
		{name: "reachable", method: "POST", path: "/api/v2.0/system/oidc/ping", user: "admin",
			body: `{"url":"` + hs.URL + `","verify_cert":false}`, wantStatus: 200},
		{name: "issuer differs", method: "POST", path: "/api/v2.0/system/oidc/ping", user: "admin",
			body: `{"url":"` + hs.URL + `/","verify_cert":false}`, wantStatus: 400},
		{name: "unreachable", method: "POST", path: "/api/v2.0/system/oidc/ping", user: "admin",
			body: `{"url":"` + deadEndpoint(t) + `"}`, wantStatus: 400, wantBody: []string{`"failed to verify connection"`}},
		{name: "no url", method: "POST", path: "/api/v2.0/system/oidc/ping", user: "admin", body: `{}`, wantStatus: 400},
		{name: "anonymous", method: "POST", path: "/api/v2.0/system/oidc/ping", body: `{}`, wantStatus: 401},
	})
	require.Equal(t, int64(2), checks.Load())
}

func TestIcons(t *testing.T) {
	srv := harbortest.New(t)
	const image = "sha256:0048162a053eef4d4ce3fe7518615bef084403614f8bca43b40ae2e762e11e06"
	status, _, body := call(t, srv, "GET", "/api/v2.0/icons/"+image, "", "", "")
	require.Equal(t, 200, status, body)
	var icon struct {
		Content     []byte `json:"content"` // base64 in JSON
		ContentType string `json:"content-type"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &icon))
	require.Equal(t, "image/png", icon.ContentType)
	require.Equal(t, "\x89PNG\r\n\x1a\n", string(icon.Content[:8]))
	runMoreSteps(t, srv, []moreStep{
		{name: "other digest", method: "GET", path: "/api/v2.0/icons/" + digestN(3), wantStatus: 404,
			wantBody: []string{"the icon " + digestN(3) + " not found"}},
	})
}

func TestInternalConfig(t *testing.T) {
	srv := harbortest.New(t, harbortest.WithRobotNamePrefix("bot-"))
	get := func(auth string) (int, string) {
		req, err := http.NewRequest("GET", srv.URL+"/api/v2.0/internalconfig", nil)
		require.NoError(t, err)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := srv.HTTPClient().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(b)
	}
	status, body := get("")
	require.Equal(t, 401, status)
	require.Contains(t, body, `"only internal service is allowed to call this API"`)
	status, _, body = call(t, srv, "GET", "/api/v2.0/internalconfig", "admin", srv.AdminPassword, "")
	require.Equal(t, 401, status, "not even the administrator: %s", body)
	status, _ = get("Harbor-Secret wrong")
	require.Equal(t, 401, status)
	status, body = get("Harbor-Secret " + srv.InternalSecret())
	require.Equal(t, 200, status, body)
	require.Contains(t, body, `"value":"db_auth"`)
	require.Contains(t, body, `"robot_name_prefix":{"editable":true,"value":"bot-"}`)
	status, _, body = call(t, srv, "PUT", "/api/v2.0/configurations", "admin", srv.AdminPassword, `{"robot_name_prefix":"r2-"}`)
	require.Equal(t, 200, status, body)
	_, body = get("Harbor-Secret " + srv.InternalSecret())
	require.Contains(t, body, `"robot_name_prefix":{"editable":true,"value":"r2-"}`)
}
