// Package harbor is a thin, hand-written facade over the client that go-swagger
// generates from Harbor's OpenAPI spec (package gen/client). It adds client
// construction, authentication, TLS, one error type, retries, pagination and
// helpers such as privileged robot accounts, and never hides a generated
// operation: (*Client).API returns the full generated client.
package harbor
