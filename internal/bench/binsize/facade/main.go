// Command facade creates a robot through the facade (binary size probe).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/harborkit/harbor-sdk-go/harbor"
)

func main() {
	c, err := harbor.NewClient(os.Getenv("HARBOR_URL"), harbor.WithBasicAuth(os.Getenv("HARBOR_USERNAME"), os.Getenv("HARBOR_PASSWORD")))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	r, err := c.CreateRobot(context.Background(), harbor.SystemRobot("ci", 30, harbor.Allow("repository", "pull")))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(r.Name, r.Secret)
}
