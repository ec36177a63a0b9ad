package webhook_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/harborkit/harbor-sdk-go/webhook"
)

// A Default delivery of a push by digest, as Harbor v2.15.2 sent it (w022).
const pushByDigest = `{"type":"PUSH_ARTIFACT","occur_at":1796643415,"operator":"admin","event_data":{"resources":[{"digest":"sha256:2445c4f41e4dc572204078072d4ac298723d966943ee9b53894df531969085eb","tag":"sha256:2445c4f41e4dc572204078072d4ac298723d966943ee9b53894df531969085eb","resource_url":"127.0.0.1:8080/whk1/multi@sha256:2445c4f41e4dc572204078072d4ac298723d966943ee9b53894df531969085eb"}],"repository":{"date_created":1796643414,"name":"multi","namespace":"whk1","repo_full_name":"whk1/multi","repo_type":"private"}}}`

func ExampleDecode() {
	ev, err := webhook.Decode([]byte(pushByDigest))
	if err != nil {
		log.Fatal(err)
	}
	r := ev.Data.Resources[0]
	fmt.Println(ev.Format, ev.Type, ev.OccurAt, ev.Operator)
	fmt.Println(ev.Data.Repository.RepoFullName, "tagged:", r.Tagged(), r.Digest[:19])
	// Output:
	// Default PUSH_ARTIFACT 2026-12-07 11:36:55 +0000 UTC admin
	// whk1/multi tagged: false sha256:2445c4f41e4d
}

// A receiver for one policy target: Harbor sends the target's auth_header
// as Authorization. Returning an error makes Harbor send the same bytes
// again later, so the function skips events it has already handled.
func ExampleNewHandler() {
	var mu sync.Mutex
	seen := map[string]bool{} // a database table in a real receiver
	h, err := webhook.NewHandler("Bearer whk-secret-123", func(ctx context.Context, ev *webhook.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if seen[ev.Key] {
			return nil // a redelivery
		}
		if ev.Type == webhook.PushArtifact {
			for _, r := range ev.Data.Resources {
				fmt.Println("pushed", r.ResourceURL)
			}
		}
		seen[ev.Key] = true
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(h) // http.ListenAndServe(":8080", h) in a real receiver
	defer srv.Close()

	for range 2 { // Harbor retries with the same bytes
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(pushByDigest))
		req.Header.Set("Authorization", "Bearer whk-secret-123")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		resp.Body.Close()
		fmt.Println(resp.Status)
	}
	// Output:
	// pushed 127.0.0.1:8080/whk1/multi@sha256:2445c4f41e4dc572204078072d4ac298723d966943ee9b53894df531969085eb
	// 200 OK
	// 200 OK
}
