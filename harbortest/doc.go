// Package harbortest runs an in-memory Harbor v2.15.2 API server for tests.
//
// A Server listens on a local port and answers every operation of Harbor's swagger.yaml under
// /api/v2.0: those automation uses statefully, with the statuses, headers and error bodies a real
// Harbor was recorded answering (CONFORMANCE.md); every other with 501 NOT_IMPLEMENTED. Each Server
// has its own state. The package uses the standard library only.
//
//	srv := harbortest.New(t) // closed when the test ends
//	client, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
//
// NewServer and Start take the same options; Handler mounts the API in a server of your own;
// cmd/harbortest runs it standalone. The server starts with the "admin" user and the public
// "library" project (id 1). Add* helpers seed data, SetLatency, FailNext and CutNext inject faults,
// Requests shows what clients sent; a helper called wrongly panics naming the bad argument.
// Webhook policies fire as Harbor's; WaitWebhooks waits.
//
// docs/harbortest.md lists the operations served and the Harbor behaviours
// reproduced; docs/webhooks.md what differs from Harbor's webhooks.
package harbortest
