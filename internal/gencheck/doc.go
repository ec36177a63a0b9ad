// Package gencheck holds tests that check the generated client in gen/
// against swagger.yaml. It has no non-test code.
package gencheck
