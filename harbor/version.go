package harbor

// SpecVersion is the Harbor release whose OpenAPI spec (swagger.yaml) this SDK
// was generated from. `make update-spec` rewrites it.
const SpecVersion = "v2.15.2"

// SDKVersion is this SDK's own version; it is sent in the default User-Agent.
const SDKVersion = "0.1.0-dev"
