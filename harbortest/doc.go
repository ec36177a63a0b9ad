// Package harbortest runs an in-memory Harbor v2.15.2 API server for tests.
//
// A Server listens on a local port (net/http/httptest) and answers the
// subset of /api/v2.0 that the SDK uses with the status codes, headers,
// error bodies and messages of a real Harbor, as recorded in
// testdata/captures (see CONFORMANCE.md). Each Server has its own state, so
// parallel tests do not interfere.
//
// Hook the SDK up in one line:
//
//	srv := harbortest.NewServer()
//	defer srv.Close()
//	client, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
//
// # Served endpoints
//
// Under /api/v2.0: ping, systeminfo, health, statistics, permissions,
// configurations, users (list, create, current, current/permissions),
// projects (create, list with name/q/page/page_size, HEAD by name, get,
// delete, summary, repositories, artifacts), robots (create, list with q,
// get, update, refresh secret, delete) and audit-logs. POST /c/login
// creates a UI session for the CSRF behaviour.
//
// # Harbor's behaviour
//
// The server starts with the "admin" user and the public "library" project
// (id 1). It follows Harbor where tests are likely to trip:
//
//   - Errors are {"errors":[{"code":"NOT_FOUND","message":"..."}]}.
//   - Lists carry X-Total-Count and a relative Link header such as
//     </api/v2.0/projects?page=1&page_size=1>; rel="prev" , </api/v2.0/projects?page=3&page_size=1>; rel="next".
//     page_size defaults to 10; above 100 it is refused with 422.
//   - Basic auth works for admin, users and robots (by their current secret;
//     disabled and expired robots are refused). Wrong credentials make the
//     caller anonymous: public reads still succeed, the rest answers 401.
//     A caller without a permission gets 403.
//   - Robots are named robot$<name> (system) or robot$<project>+<name>
//     (project). POST /robots ignores a chosen secret; PATCH /robots/{id}
//     sets a chosen one or generates one.
//   - Every answer carries X-Request-Id and sets a sid cookie; a POST, PUT,
//     PATCH or DELETE that sends a sid cookie back is refused with 403 "CSRF
//     token not found in request", so clients must not keep cookies.
//
// # Seeding, inspection and faults
//
// AddProject, AddProjects, AddUser, AddProjectMember, AddRepository,
// AddArtifact and AddAuditLog seed data without HTTP; Projects, Robots and
// RobotSecret inspect it. SetLatency, FailNext and CutNext inject delays,
// error answers and cut connections; Requests and ConnectionsAccepted show
// what clients sent and how many connections they opened.
package harbortest
