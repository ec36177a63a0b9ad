package harbortest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// A webhook policy on a project makes harbortest deliver its events to the
// target, as Harbor does; WaitWebhooks waits until they are delivered.
func ExampleServer_WaitWebhooks() {
	srv := harbortest.NewServer()
	defer srv.Close()
	srv.AddProject("team", false)

	got := make(chan string, 10)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- r.Header.Get("Authorization") + " " + string(body[:strings.Index(string(body), `,"occur_at"`)])
	}))
	defer receiver.Close()

	policy := `{"name":"ci","enabled":true,"event_types":["PUSH_ARTIFACT"],"targets":[{"type":"http","address":"` +
		receiver.URL + `","auth_header":"Bearer s3cret","payload_format":"Default"}]}`
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v2.0/projects/team/webhook/policies", strings.NewReader(policy))
	req.SetBasicAuth(srv.AdminUsername, srv.AdminPassword)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := srv.HTTPClient().Do(req); err == nil {
		resp.Body.Close()
		fmt.Println(resp.Status)
	}

	srv.AddImage("team", "app", "1.0") // a push
	if err := srv.WaitWebhooks(context.Background()); err != nil {
		fmt.Println(err)
	}
	fmt.Println(<-got)
	// Output:
	// 201 Created
	// Bearer s3cret {"type":"PUSH_ARTIFACT"
}
