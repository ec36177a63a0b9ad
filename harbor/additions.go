package harbor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/go-openapi/runtime"

	"github.com/harborkit/harbor-sdk-go/gen/client/artifact"
)

// ArtifactAddition returns the addition ("build_history", "values.yaml",
// "readme.md", "dependencies", "sbom", "vulnerabilities"...) of the artifact
// at reference (a digest or tag) in projectName/repositoryName ("team/app";
// escaped here) as the JSON text Harbor sends; a text addition
// (values.yaml, readme.md) comes back as a JSON string holding the text.
// An empty argument, or "." or "..", is an error naming it, before any
// request.
//
// Needs artifact-addition:read.
func (c *Client) ArtifactAddition(ctx context.Context, projectName, repositoryName, reference, addition string) (_ json.RawMessage, err error) {
	defer inVoice("ArtifactAddition", &err)
	if err := checkSegments("ArtifactAddition", "projectName", projectName, "repositoryName", repositoryName,
		"reference", reference, "addition", addition); err != nil {
		return nil, err
	}
	params := artifact.NewGetAdditionParams().
		WithProjectName(projectName).WithRepositoryName(EscapeRepositoryName(repositoryName)).
		WithReference(reference).WithAddition(addition)
	return c.rawJSON(ctx, "getAddition", "/projects/{project_name}/repositories/{repository_name}/artifacts/{reference}/additions/{addition}", params)
}

// VulnerabilitiesAddition returns the vulnerability report of the artifact
// at reference in projectName/repositoryName as the JSON text Harbor sends
// (an object keyed by report MIME type). accept selects the report types
// (X-Accept-Vulnerabilities); "" means Harbor's default. The other
// arguments are checked as ArtifactAddition's.
//
// Needs artifact-addition:read.
func (c *Client) VulnerabilitiesAddition(ctx context.Context, projectName, repositoryName, reference, accept string) (_ json.RawMessage, err error) {
	defer inVoice("VulnerabilitiesAddition", &err)
	if err := checkSegments("VulnerabilitiesAddition", "projectName", projectName, "repositoryName", repositoryName,
		"reference", reference); err != nil {
		return nil, err
	}
	params := artifact.NewGetVulnerabilitiesAdditionParams().
		WithProjectName(projectName).WithRepositoryName(EscapeRepositoryName(repositoryName)).
		WithReference(reference)
	if accept != "" {
		params.SetXAcceptVulnerabilities(&accept)
	}
	return c.rawJSON(ctx, "getVulnerabilitiesAddition", "/projects/{project_name}/repositories/{repository_name}/artifacts/{reference}/additions/vulnerabilities", params)
}

// rawJSON submits a generated GET operation through the client's own
// submitter (the path, credentials and error conversion of every call),
// keeping the answer's JSON text: Harbor's spec declares the additions a
// JSON string, but Harbor sends JSON (a build history, an SBOM, a report),
// which the generated readers fail to decode. A text/* answer that is not
// JSON becomes a JSON string, what the spec declares (a 2xx HTML page
// never gets here: the submitter refuses it as ErrUnexpectedContent).
func (c *Client) rawJSON(ctx context.Context, id, pattern string, params runtime.ClientRequestWriter) (json.RawMessage, error) {
	res, err := c.submit.SubmitContext(ctx, &runtime.ClientOperation{
		ID:                 id,
		Method:             "GET",
		PathPattern:        pattern,
		ProducesMediaTypes: []string{runtime.JSONMime},
		ConsumesMediaTypes: []string{runtime.JSONMime},
		Schemes:            []string{c.baseURL.Scheme},
		Params:             params,
		Reader: runtime.ClientResponseReaderFunc(func(r runtime.ClientResponse, _ runtime.Consumer) (any, error) {
			if r.Code() < 200 || r.Code() > 299 {
				return nil, runtime.NewAPIError("[GET "+pattern+"] "+id, r, r.Code())
			}
			body, err := io.ReadAll(r.Body())
			if err != nil {
				return nil, err
			}
			if json.Valid(body) {
				return json.RawMessage(body), nil
			}
			mt, _, _ := mime.ParseMediaType(r.GetHeader("Content-Type"))
			if !strings.HasPrefix(mt, "text/") {
				return nil, fmt.Errorf("the answer (content type %q) is neither JSON nor text", mt)
			}
			text, _ := json.Marshal(string(body)) // a string always marshals
			return json.RawMessage(text), nil
		}),
	})
	if err != nil {
		return nil, err
	}
	return res.(json.RawMessage), nil
}
