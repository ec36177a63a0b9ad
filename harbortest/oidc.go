package harbortest

import "strings"

type oidcPingReq = struct {
	URL string `json:"url"`
}

// pingOIDC checks the endpoint like Harbor (go-oidc's discovery): 200 when <url>/.well-known/
// openid-configuration answers 2xx with the url as "issuer", else 400 "failed to verify
// connection" (b440). It makes that request: a test can point it at its own httptest server.
func (s *Server) pingOIDC(r *request, req *oidcPingReq) (answer, *apiError) {
	var doc struct {
		Issuer string `json:"issuer"`
	}
	found := false
	discovery := strings.TrimSuffix(req.URL, "/") + "/.well-known/openid-configuration"
	r.outside(func() { found = req.URL != "" && probeJSON(r.Context(), discovery, &doc) })
	if !found || doc.Issuer != req.URL {
		return answer{}, errBadRequest("failed to verify connection")
	}
	return reply(nil)
}
