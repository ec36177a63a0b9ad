package harbortest_test

import (
	"fmt"
	"io"
	"net/http"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

func Example() {
	srv := harbortest.NewServer()
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v2.0/projects", nil)
	req.SetBasicAuth(srv.AdminUsername, srv.AdminPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)

	fmt.Println(resp.Status, resp.Header.Get("X-Total-Count"))
	fmt.Println(len(body) > 0)
	// Output:
	// 200 OK 1
	// true
}
