package harbortest_test

import (
	"fmt"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// Harbor refuses to delete user 1 and oneself, even for a system admin (set4/u113),
// before it looks the user up.
func TestDeleteUserRefusesAdminAndSelf(t *testing.T) {
	srv := harbortest.New(t)
	id := srv.AddUser("ops", "Passw0rd1", true)
	self := fmt.Sprintf("/api/v2.0/users/%d", id)
	runSteps(t, srv, []apiStep{
		{name: "oneself", method: "DELETE", path: self, user: "ops", password: "Passw0rd1", status: 403,
			want: []string{errBody("FORBIDDEN", fmt.Sprintf("User with ID %d cannot be deleted", id))}},
		{name: "user 1", method: "DELETE", path: "/api/v2.0/users/1", user: "ops", password: "Passw0rd1", status: 403,
			want: []string{errBody("FORBIDDEN", "User with ID 1 cannot be deleted")}},
		{name: "by the admin", method: "DELETE", path: self, user: "admin", status: 200},
	})
}
