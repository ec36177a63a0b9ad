package harbortest_test

import (
	"net/http"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

// TestSearch checks /search's visibility rules and shape (p142-p147): admin
// sees every project, a member its projects, robots and anonymous callers
// public ones only; repositories are sorted by full name.
func TestSearch(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("capart1", false)
	srv.AddProject("capart2", true)
	srv.AddRepository("capart1", "team/app")
	srv.AddRepository("capart2", "web")
	srv.AddRepository("capart2", "team/app")
	srv.AddUser("dave", "Dave12345", false)
	srv.AddProjectMember("capart1", "dave", 3)

	st, _, body := call(t, srv, "GET", "/api/v2.0/search?q=app", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st)
	require.JSONEq(t, `{"project":[],"repository":[
		{"project_id":2,"project_name":"capart1","repository_name":"capart1/team/app"},
		{"project_id":3,"project_name":"capart2","project_public":true,"repository_name":"capart2/team/app"}]}`, body)

	st, _, body = call(t, srv, "GET", "/api/v2.0/search?q=capart", "", "", "")
	require.Equal(t, http.StatusOK, st)
	require.JSONEq(t, `{"project":[{"creation_time":"`+srv.Projects()[1].CreationTime.UTC().Format("2006-01-02T15:04:05.000Z")+`",
		"current_user_role_ids":null,"cve_allowlist":{"creation_time":"0001-01-01T00:00:00.000Z","items":null,"update_time":"0001-01-01T00:00:00.000Z"},
		"metadata":{"public":"true"},"name":"capart2","owner_id":1,"project_id":3,"repo_count":2,
		"update_time":"`+srv.Projects()[1].CreationTime.UTC().Format("2006-01-02T15:04:05.000Z")+`"}],
		"repository":[
		{"project_id":3,"project_name":"capart2","project_public":true,"repository_name":"capart2/team/app"},
		{"project_id":3,"project_name":"capart2","project_public":true,"repository_name":"capart2/web"}]}`, body)

	st, _, body = call(t, srv, "GET", "/api/v2.0/search?q=capart1", "dave", "Dave12345", "")
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, body, `"name":"capart1"`)
	require.Contains(t, body, `"current_user_role_id":3,"current_user_role_ids":[3]`)

	for _, q := range []string{"", "?q="} {
		st, _, body = call(t, srv, "GET", "/api/v2.0/search"+q, "admin", "Harbor12345", "")
		require.Equal(t, http.StatusUnprocessableEntity, st)
		require.JSONEq(t, `{"errors":[{"code":"UNPROCESSABLE_ENTITY","message":"validation failure list:\nq in query is required"}]}`, body)
	}
}

// TestStatistics checks the counts per caller (p140, p141, b468).
func TestStatistics(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("priv", false)
	srv.AddRepository("priv", "a")
	srv.AddRepository("library", "b")
	srv.AddUser("erin", "Erin12345", false)
	for _, c := range []struct {
		user, pass, want string
	}{
		{"admin", "Harbor12345", `{"private_project_count":1,"private_repo_count":1,"public_project_count":1,"public_repo_count":1,"total_project_count":2,"total_repo_count":2,"total_storage_consumption":0}`},
		{"erin", "Erin12345", `{"private_project_count":0,"private_repo_count":0,"public_project_count":1,"public_repo_count":1,"total_project_count":0,"total_repo_count":0,"total_storage_consumption":0}`},
	} {
		st, _, body := call(t, srv, "GET", "/api/v2.0/statistics", c.user, c.pass, "")
		require.Equal(t, http.StatusOK, st)
		require.JSONEq(t, c.want, body, c.user)
	}
	srv.AddProjectMember("priv", "erin", 2)
	_, _, body := call(t, srv, "GET", "/api/v2.0/statistics", "erin", "Erin12345", "")
	require.Contains(t, body, `"private_project_count":1,"private_repo_count":1`)
}
