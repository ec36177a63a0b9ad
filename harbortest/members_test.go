package harbortest_test

import (
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func TestProjectMembers(t *testing.T) {
	srv := harbortest.New(t)
	pid := srv.AddProject("capart1", false)
	srv.AddUser("capuser1", "CapUser24680", false)
	srv.AddUser("capuser2", "CapUser12345", false)
	srv.AddUser("viewer", "Viewer12345", false)
	srv.AddProjectMember("capart1", "viewer", harbortest.RoleGuest)
	const m = "/api/v2.0/projects/capart1/members"
	runSteps(t, srv, []apiStep{
		{name: "b049 list", method: "GET", path: m, user: "admin", status: ok,
			want:   []string{`"entity_name":"admin","entity_type":"u"`, `"role_name":"projectAdmin"`, `"entity_name":"viewer"`, `"role_name":"guest"`},
			header: map[string]string{"X-Total-Count": "2"}},
		{name: "b050 create by name", method: "POST", path: m, user: "admin",
			body: `{"role_id":2,"member_user":{"username":"capuser1"}}`, status: created},
		{name: "b052 duplicate", method: "POST", path: m, user: "admin",
			body: `{"role_id":2,"member_user":{"username":"capuser1"}}`, status: 409,
			want: []string{errBody("CONFLICT", "The project member specified already exist")}},
		{name: "b053 unknown user", method: "POST", path: m, user: "admin",
			body: `{"role_id":2,"member_user":{"username":"nosuchuser"}}`, status: 404,
			want: []string{errBody("NOT_FOUND", "user nosuchuser is not found")}},
		{name: "unknown role on a new member", method: "POST", path: m, user: "admin",
			body: `{"role_id":99,"member_user":{"username":"capuser2"}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "Failed to update project member, role is not in 1,2,3")}},
		{name: "b055 no member", method: "POST", path: m, user: "admin", body: `{"role_id":2}`, status: 500,
			want: []string{errBody("UNKNOWN", "internal server error")}},
		{name: "b041 group", method: "POST", path: "/api/v2.0/usergroups", user: "admin",
			body: `{"group_name":"capgroup-http","group_type":2}`, status: created,
			header: map[string]string{"Location": "/api/v2.0/usergroups/1"}},
		{name: "b056 group member", method: "POST", path: m, user: "admin",
			body: `{"role_id":4,"member_group":{"id":1}}`, status: created},
		{name: "b057 group by unknown name", method: "POST", path: m, user: "admin",
			body: `{"role_id":4,"member_group":{"group_name":"nosuchgroup","group_type":1}}`, status: 404,
			want: []string{errBody("NOT_FOUND", "nosuchgroup not found: not supported")}},
		{name: "b058 sorted by name", method: "GET", path: m, user: "admin", status: ok,
			want:   []string{`[{"entity_id":1,"entity_name":"admin"`, `"entity_name":"capgroup-http","entity_type":"g"`, `"role_name":"maintainer"`},
			header: map[string]string{"X-Total-Count": "4"}},
		{name: "b059 entityname is exact, count is not filtered", method: "GET", path: m + "?entityname=capuser", user: "admin",
			status: ok, want: []string{"[]"}, header: map[string]string{"X-Total-Count": "4"}},
		{name: "b060 page", method: "GET", path: m + "?page=1&page_size=1", user: "admin", status: ok,
			header: map[string]string{"Link": `</api/v2.0/projects/capart1/members?page=2&page_size=1>; rel="next"`}},
		{name: "guest lists members", method: "GET", path: m, user: "viewer", password: "Viewer12345", status: ok},
		{name: "developer may not add members", method: "POST", path: m, user: "capuser1", password: "CapUser24680",
			body: `{"role_id":2,"member_user":{"username":"capuser2"}}`, status: 403, want: []string{errBody("FORBIDDEN", "forbidden")}},
		{name: "b069 project missing", method: "GET", path: "/api/v2.0/projects/nosuchproj/members", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "project nosuchproj not found")}},
		{name: "anonymous", method: "GET", path: m, status: 401},
	})

	// b061-b073: member ids come from the list
	var capuser1 string
	_, _, body := call(t, srv, "GET", m+"?entityname=capuser1", "admin", srv.AdminPassword, "")
	capuser1 = jsonField(t, body, "0.id")
	runSteps(t, srv, []apiStep{
		{name: "b061 get", method: "GET", path: m + "/" + capuser1, user: "admin", status: ok,
			want: []string{`"entity_name":"capuser1"`, `"role_id":2,"role_name":"developer"`}},
		{name: "b062 not found", method: "GET", path: m + "/999999", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "the project member is not found, project id "+itoa(pid)+", member id 999999")}},
		{name: "b063 update", method: "PUT", path: m + "/" + capuser1, user: "admin", body: `{"role_id":4}`, status: ok},
		{name: "maintainer now", method: "GET", path: m + "/" + capuser1, user: "admin", status: ok, want: []string{`"role_name":"maintainer"`}},
		{name: "b064 unknown role stored", method: "PUT", path: m + "/" + capuser1, user: "admin", body: `{"role_id":99}`, status: ok},
		{name: "b065 missing member is 200", method: "PUT", path: m + "/999999", user: "admin", body: `{"role_id":2}`, status: ok},
		{name: "b066 role 99 hides the member", method: "GET", path: m + "/" + capuser1, user: "admin", status: 404},
		{name: "b067 role 99 has no permission", method: "GET", path: m, user: "capuser1", password: "CapUser24680", status: 403},
		{name: "b071 delete", method: "DELETE", path: m + "/" + capuser1, user: "admin", status: ok},
		{name: "b073 delete again", method: "DELETE", path: m + "/" + capuser1, user: "admin", status: ok},
		{name: "b072 gone", method: "GET", path: m + "/" + capuser1, user: "admin", status: 404},
	})
}

func TestUserGroups(t *testing.T) {
	srv := harbortest.New(t)
	runSteps(t, srv, []apiStep{
		{name: "b039", method: "GET", path: "/api/v2.0/usergroups", user: "admin", status: ok, want: []string{"[]"},
			header: map[string]string{"X-Total-Count": "0"}},
		{name: "b040 ldap", method: "POST", path: "/api/v2.0/usergroups", user: "admin",
			body: `{"group_name":"g","group_type":1,"ldap_group_dn":"cn=g"}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "LDAP Group DN is not found: DN:cn=g")}},
		{name: "b041", method: "POST", path: "/api/v2.0/usergroups", user: "admin", body: `{"group_name":"capgroup-http","group_type":2}`, status: created},
		{name: "b043 any type", method: "POST", path: "/api/v2.0/usergroups", user: "admin", body: `{"group_name":"capgroup-bad","group_type":9}`, status: created},
		{name: "b044 search", method: "GET", path: "/api/v2.0/usergroups/search?groupname=capgroup", user: "admin", status: ok,
			want: []string{`[{"group_name":"capgroup-bad","group_type":9,"id":2},{"group_name":"capgroup-http","group_type":2,"id":1}]`}},
		{name: "b045", method: "GET", path: "/api/v2.0/usergroups/999999", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "the user group with id 999999 is not found")}},
		{name: "b047", method: "PUT", path: "/api/v2.0/usergroups/1", user: "admin", body: `{"group_name":"capgroup-http-renamed","group_type":2}`, status: ok},
		{name: "b048 no id in GET", method: "GET", path: "/api/v2.0/usergroups/1", user: "admin", status: ok,
			want: []string{`{"group_name":"capgroup-http-renamed","group_type":2}`}},
		{name: "delete", method: "DELETE", path: "/api/v2.0/usergroups/1", user: "admin", status: ok},
		{name: "anonymous", method: "GET", path: "/api/v2.0/usergroups", status: 401},
	})
}
