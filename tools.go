//go:build tools

// Package tools pins the code generator so that every machine generates gen/
// with the same go-swagger version. It is never built into the SDK.
package tools

import (
	_ "github.com/go-swagger/go-swagger/cmd/swagger"
)
