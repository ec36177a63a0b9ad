package harbortest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// pingOIDC checks the endpoint like Harbor (go-oidc's discovery): 200 when
// <url>/.well-known/openid-configuration answers 2xx with the url itself as
// "issuer", else 400 "failed to verify connection" (b440). harbortest really
// makes that request, so a test can point it at an httptest server of its
// own.
func (s *Server) pingOIDC(r *request) (answer, *apiError) {
	if e := s.requireSystem(r.id, "configuration", "update"); e != nil {
		return answer{}, e
	}
	var req struct {
		URL string `json:"url"`
	}
	if e := decodeBody(r, &req, "endpoint"); e != nil {
		return answer{}, e
	}
	found := false
	r.outside(func() { found = req.URL != "" && oidcDiscovery(r.Context(), req.URL) })
	if !found {
		return answer{}, errBadRequest("failed to verify connection")
	}
	return reply(nil)
}

// oidcDiscovery reports whether issuer's discovery document names issuer.
func oidcDiscovery(ctx context.Context, issuer string) bool {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration", nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var doc struct {
		Issuer string `json:"issuer"`
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 || json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&doc) != nil {
		return false
	}
	return doc.Issuer == issuer
}
