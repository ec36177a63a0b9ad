// Command baseline creates a robot with net/http and encoding/json (binary
// size probe).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"
)

type access struct {
	Resource string `json:"resource"`
	Action   string `json:"action"`
}

type permission struct {
	Kind      string   `json:"kind"`
	Namespace string   `json:"namespace"`
	Access    []access `json:"access"`
}

type robotCreate struct {
	Name        string       `json:"name"`
	Level       string       `json:"level"`
	Duration    int64        `json:"duration"`
	Permissions []permission `json:"permissions"`
}

type robotCreated struct {
	CreationTime time.Time `json:"creation_time"`
	ExpiresAt    int64     `json:"expires_at"`
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Secret       string    `json:"secret"`
}

func main() {
	body, _ := json.Marshal(robotCreate{Name: "ci", Level: "system", Duration: 30,
		Permissions: []permission{{Kind: "system", Namespace: "/", Access: []access{{"repository", "pull"}}}}})
	req, err := http.NewRequest(http.MethodPost, os.Getenv("HARBOR_URL")+"/api/v2.0/robots", bytes.NewReader(body))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	req.SetBasicAuth(os.Getenv("HARBOR_USERNAME"), os.Getenv("HARBOR_PASSWORD"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		fmt.Fprintln(os.Stderr, resp.Status)
		os.Exit(1)
	}
	var r robotCreated
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(r.Name, r.Secret)
}
