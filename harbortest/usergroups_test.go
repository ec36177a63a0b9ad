package harbortest_test

import (
	"fmt"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// TestUserGroupBodies checks that user group bodies, alone or as a member's
// member_group, are decoded into a type named as Harbor's UserGroup model,
// so a wrongly typed field's 422 reads as Harbor's.
func TestUserGroupBodies(t *testing.T) {
	srv := harbortest.New(t)
	srv.AddProject("capart1", false)
	const typeErr = `validation failure list:\nparsing %s body from \"\" failed, because ` +
		`json: cannot unmarshal %s into Go struct field UserGroup.%s of type %s`
	bad := func(body, value, field, typ string) string {
		return errBody("UNPROCESSABLE_ENTITY", fmt.Sprintf(typeErr, body, value, field, typ))
	}
	runSteps(t, srv, []apiStep{
		{name: "create, name a number", method: "POST", path: "/api/v2.0/usergroups", user: "admin",
			body: `{"group_name":5,"group_type":2}`, status: 422, want: []string{bad("usergroup", "number", "group_name", "string")}},
		{name: "create, type a string", method: "POST", path: "/api/v2.0/usergroups", user: "admin",
			body: `{"group_name":"g","group_type":"http"}`, status: 422, want: []string{bad("usergroup", "string", "group_type", "int64")}},
		{name: "create", method: "POST", path: "/api/v2.0/usergroups", user: "admin",
			body: `{"group_name":"g","group_type":2}`, status: created},
		{name: "update, name a number", method: "PUT", path: "/api/v2.0/usergroups/1", user: "admin",
			body: `{"group_name":5}`, status: 422, want: []string{bad("usergroup", "number", "group_name", "string")}},
		{name: "member group, name a number", method: "POST", path: "/api/v2.0/projects/capart1/members", user: "admin",
			body:   `{"role_id":2,"member_group":{"group_name":5}}`,
			status: 422, want: []string{bad("projectMember", "number", "member_group.group_name", "string")}},
	})
}
