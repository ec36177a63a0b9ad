// Command runtime creates a robot through go-openapi's runtime client alone,
// with hand-written structs and no generated code (binary size probe: the
// floor of anything built on github.com/go-openapi/runtime/client).
package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/go-openapi/runtime"
	rtclient "github.com/go-openapi/runtime/client"
	"github.com/go-openapi/strfmt"
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
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Secret       string    `json:"secret"`
}

func main() {
	u, err := url.Parse(os.Getenv("HARBOR_URL"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rt := rtclient.New(u.Host, u.Path+"/api/v2.0", []string{u.Scheme})
	body := &robotCreate{Name: "ci", Level: "system", Duration: 30,
		Permissions: []permission{{Kind: "system", Namespace: "/", Access: []access{{"repository", "pull"}}}}}
	res, err := rt.SubmitContext(context.Background(), &runtime.ClientOperation{
		ID: "CreateRobot", Method: "POST", PathPattern: "/robots",
		ProducesMediaTypes: []string{"application/json"}, ConsumesMediaTypes: []string{"application/json"},
		Schemes: []string{u.Scheme},
		Params: runtime.ClientRequestWriterFunc(func(r runtime.ClientRequest, _ strfmt.Registry) error {
			return r.SetBodyParam(body)
		}),
		Reader: runtime.ClientResponseReaderFunc(func(r runtime.ClientResponse, c runtime.Consumer) (any, error) {
			if r.Code() != 201 {
				return nil, fmt.Errorf("%d %s", r.Code(), r.Message())
			}
			out := new(robotCreated)
			return out, c.Consume(r.Body(), out)
		}),
		AuthInfo: rtclient.BasicAuth(os.Getenv("HARBOR_USERNAME"), os.Getenv("HARBOR_PASSWORD")),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	r := res.(*robotCreated)
	fmt.Println(r.Name, r.Secret)
}
