package harbor

// SpecVersion is the Harbor release whose OpenAPI spec (swagger.yaml) this SDK
// was generated from. `make update-spec` rewrites it.
const SpecVersion = "v2.15.2"
