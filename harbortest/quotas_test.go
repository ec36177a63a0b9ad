package harbortest_test

import (
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func TestQuotas(t *testing.T) {
	srv := harbortest.NewServer()
	defer srv.Close()
	id := itoa(srv.AddProject("capart2", true))
	_, secret := createRobot(t, srv, `{"name":"puller","level":"project","duration":-1,"permissions":[{"kind":"project","namespace":"capart2","access":[{"resource":"repository","action":"pull"}]}]}`)
	q := "/api/v2.0/quotas/" + id
	runSteps(t, srv, []apiStep{
		{name: "b210 newest first", method: "GET", path: "/api/v2.0/quotas?page_size=1", user: "admin", status: ok,
			want:   []string{`"ref":{"id":` + id + `,"name":"capart2","owner_name":""}`, `"hard":{"storage":-1}`, `"used":{"storage":0}`},
			header: map[string]string{"X-Total-Count": "2", "Link": `</api/v2.0/quotas?page=2&page_size=1>; rel="next"`}},
		{name: "b211", method: "GET", path: "/api/v2.0/quotas?reference=project&reference_id=" + id, user: "admin", status: ok,
			header: map[string]string{"X-Total-Count": "1"}},
		{name: "sort by id", method: "GET", path: "/api/v2.0/quotas?sort=id&page_size=1", user: "admin", status: ok,
			want: []string{`"name":"library"`}},
		{name: "b214", method: "GET", path: "/api/v2.0/quotas/999999", user: "admin", status: 404,
			want: []string{errBody("NOT_FOUND", "quota 999999 not found")}},
		{name: "b215", method: "PUT", path: q, user: "admin", body: `{"hard":{"storage":2147483648}}`, status: ok},
		{name: "summary shows it", method: "GET", path: "/api/v2.0/projects/capart2/summary", user: "admin", status: ok,
			want: []string{`"hard":{"storage":2147483648}`}},
		{name: "b221 update_time stays zero in GET", method: "GET", path: q, user: "admin", status: ok,
			want: []string{`"hard":{"storage":2147483648}`, `"update_time":"0001-01-01T00:00:00.000Z"`}},
		{name: "b217", method: "PUT", path: q, user: "admin", body: `{"hard":{"count":10}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "resource count not support")}},
		{name: "b218", method: "PUT", path: q, user: "admin", body: `{"hard":{"storage":-5}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "invalid non-positive value for quota limit, value=-5")}},
		{name: "b220", method: "PUT", path: q, user: "admin", body: `{"hard":{}}`, status: 400,
			want: []string{errBody("BAD_REQUEST", "hard required in body")}},
		{name: "b219", method: "PUT", path: q, user: "admin", body: `{"hard":{"storage":-1}}`, status: ok},
		{name: "b222", method: "GET", path: "/api/v2.0/quotas", user: "robot$capart2+puller", password: secret, status: 403,
			want: []string{errBody("FORBIDDEN", "robot$capart2+puller")}},
		{name: "b223", method: "GET", path: "/api/v2.0/quotas", status: 401},
	})
}
