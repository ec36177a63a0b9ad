package harbortest_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// TestRobotPermissionBodies checks that a robot's permissions are decoded
// into and read back as Harbor's RobotPermission and Access models: a wrongly
// typed field's 422 names the innermost model as go-swagger's does, and an
// access's effect is read back as written.
func TestRobotPermissionBodies(t *testing.T) {
	srv := harbortest.New(t)
	const badResource = `{"name":"x","level":"system","duration":-1,"permissions":` +
		`[{"kind":"system","namespace":"/","access":[{"resource":5,"action":"create"}]}]}`
	const typeErr = `validation failure list:\nparsing robot body from \"\" failed, because ` +
		`json: cannot unmarshal number into Go struct field %s of type string`
	id, _ := createRobot(t, srv, `{"name":"ci","level":"system","duration":-1,"permissions":[{"kind":"system",`+
		`"namespace":"/","access":[{"resource":"project","action":"create","effect":"allow"},{"resource":"user","action":"list"}]}]}`)
	robot := "/api/v2.0/robots/" + itoa(id)
	runSteps(t, srv, []apiStep{
		{name: "create, resource a number", method: "POST", path: "/api/v2.0/robots", user: "admin", body: badResource,
			status: 422, want: []string{errBody("UNPROCESSABLE_ENTITY", fmt.Sprintf(typeErr, "Access.permissions.access.resource"))}},
		{name: "update, resource a number", method: "PUT", path: robot, user: "admin", body: badResource,
			status: 422, want: []string{errBody("UNPROCESSABLE_ENTITY", fmt.Sprintf(typeErr, "Access.permissions.access.resource"))}},
		{name: "create, kind a number", method: "POST", path: "/api/v2.0/robots", user: "admin",
			body:   `{"name":"x","level":"system","duration":-1,"permissions":[{"kind":5}]}`,
			status: 422, want: []string{fmt.Sprintf(typeErr, "RobotPermission.permissions.kind")}},
		{name: "effect read back as written", method: "GET", path: robot, user: "admin", status: ok,
			want: []string{`"access":[{"action":"create","effect":"allow","resource":"project"},{"action":"list","resource":"user"}]`}},
	})
	want := []harbortest.Access{{Action: "create", Effect: "allow", Resource: "project"}, {Action: "list", Resource: "user"}}
	if got := srv.Robots()[0].Permissions[0].Access; !slices.Equal(got, want) {
		t.Errorf("Robots() access = %+v, want %+v", got, want)
	}
}
