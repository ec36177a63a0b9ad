// Package harbortest runs an in-memory Harbor v2.15.2 API server for tests.
//
// A Server listens on a local port and answers every operation of Harbor's
// swagger.yaml under /api/v2.0: the ones automation uses statefully, with
// the status codes, headers, error bodies and messages of a real Harbor as
// recorded (CONFORMANCE.md); every other one with 501 NOT_IMPLEMENTED, never
// a Harbor-looking 404. Each Server has its own state, so parallel tests do
// not interfere. The package uses the standard library only.
//
//	srv := harbortest.New(t) // closed when the test ends
//	client, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
//
// NewServer (closed with Close) and Start (an error instead of a panic)
// take the same options; Handler mounts the API in a server of your own;
// cmd/harbortest runs it standalone. The server starts with the "admin"
// user and the public "library" project (id 1). Add* helpers seed data
// without HTTP, SetLatency, FailNext and CutNext inject faults, Requests
// shows what clients sent; a helper called wrongly panics naming the bad
// argument. Webhook policies fire as Harbor's do; WaitWebhooks waits for
// the deliveries.
//
// docs/harbortest.md lists the operations served and the Harbor behaviours
// reproduced (paging, the q language, sessions and CSRF, the 4 MiB body
// limit, ...); docs/webhooks.md what differs from Harbor's webhooks.
package harbortest
