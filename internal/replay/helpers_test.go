package replay

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/harborkit/harbor-sdk-go/harbor"
)

// helper is a facade function the replay calls instead of the generated
// operation, for an operation whose generated code cannot read Harbor's
// answer because the spec is wrong.
type helper struct {
	name string
	call func(ctx context.Context, c *harbor.Client, path map[string]string, query url.Values, h http.Header) (json.RawMessage, error)
}

// plainRepo turns the repository_name path value (escaped once more than
// the name, "team%2Fapp") into the plain name the facade takes ("team/app").
func plainRepo(v string) string {
	s, err := url.PathUnescape(v)
	if err != nil {
		return v
	}
	return s
}

// helpers by operationId.
var helpers = map[string]helper{
	// The spec declares a JSON string; Harbor sends JSON arrays and objects
	// (build_history, dependencies, sbom) and text (values.yaml, readme.md).
	"getAddition": {name: "Client.ArtifactAddition", call: func(ctx context.Context, c *harbor.Client, p map[string]string, _ url.Values, _ http.Header) (json.RawMessage, error) {
		return c.ArtifactAddition(ctx, p["project_name"], plainRepo(p["repository_name"]), p["reference"], p["addition"])
	}},
	// The spec declares a JSON string; Harbor sends an object keyed by report MIME type.
	"getVulnerabilitiesAddition": {name: "Client.VulnerabilitiesAddition", call: func(ctx context.Context, c *harbor.Client, p map[string]string, _ url.Values, h http.Header) (json.RawMessage, error) {
		return c.VulnerabilitiesAddition(ctx, p["project_name"], plainRepo(p["repository_name"]), p["reference"], h.Get("X-Accept-Vulnerabilities"))
	}},
}
