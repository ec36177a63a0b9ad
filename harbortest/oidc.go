package harbortest

import (
	"context"
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
	var doc struct {
		Issuer string `json:"issuer"`
	}
	return probeJSON(ctx, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration", &doc) &&
		doc.Issuer == issuer
}
