//go:build ignore

// tools.go names the code generator that writes gen/: go-swagger, pinned by
// the tool directive of tools/go.mod, a module of its own. The pin lives there
// rather than in the SDK's go.mod so that a module requiring the SDK does not
// inherit go-swagger's dependencies (viper, sprig, ...): its module graph
// stays at the SDK's runtime dependencies. The ignore build tag keeps this
// file out of every build and out of `go mod tidy` here; `make generate` and
// `make verify-generated` build the generator from tools/go.mod, and
// `cd tools && go tool swagger version` runs it.
package tools

import (
	_ "github.com/go-swagger/go-swagger/cmd/swagger"
)
