// Package harbortest runs an in-memory Harbor v2.15.2 API server for tests.
//
// A Server listens on a local port (net/http/httptest) and answers every
// operation of Harbor's swagger.yaml under /api/v2.0: the ones automation
// uses statefully, with the status codes, headers, error bodies and
// messages of a real Harbor as recorded in ../testdata/harbor-captures (see
// CONFORMANCE.md); every other one with 501 and
// {"errors":[{"code":"NOT_IMPLEMENTED","message":"harbortest does not implement <operationId> (<METHOD> <path>)"}]},
// never a Harbor-looking 404. Each Server has its own state, so parallel
// tests do not interfere. The package uses the standard library only.
//
// Hook the SDK up in one line:
//
//	srv := harbortest.New(t) // closed when the test ends
//	client, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
//
// NewServer (closed with Close) and Start (returning an error instead of
// panicking) take the same options: WithTLS, WithAddress for a fixed
// address, WithAdminPassword, WithRobotNamePrefix, WithClock. Handler returns
// the http.Handler to mount in a server of your own. For clients in other
// languages, cmd/harbortest runs the same server standalone.
//
// # Served operations
//
// Projects (list, HEAD, create, get, update, delete, summary, _deletable,
// logs, auditlog-exts), users (list, create, get, search, current, profile,
// password, sysadmin, CLI secret, delete), user groups, robots, repositories
// and artifacts, configurations (GET and PUT: robot_name_prefix renames the
// robots read afterwards, as in Harbor), systeminfo (the address the client
// used, volumes, getcert), search, audit-logs and auditlog-exts, statistics,
// health, ping and permissions; P2P preheat (instances, providers, policies,
// executions, tasks, logs), the job service dashboard, schedules (scan
// all, preheat, GC, purge audit, retention), scan all (Harbor's 412 until a
// scanner is registered with POST /scanners), CVE export, LDAP and OIDC pings, icons and internalconfig (for Harbor's
// own components: Authorization: Harbor-Secret <InternalSecret>); the UI's
// sessions (POST /c/login, GET /c/log_out, session_timeout by the server's
// clock; PasswordChecks counts user password verifications). CONFORMANCE.md
// lists every operation, served or not.
//
// # Harbor's behaviour
//
// The server starts with the "admin" user and the public "library" project
// (id 1). It follows Harbor where tests are likely to trip:
//
//   - Errors are {"errors":[{"code":"NOT_FOUND","message":"..."}]}; a known
//     path with another method is Harbor's 405 METHOD_NOT_ALLOWED.
//   - Lists carry X-Total-Count and a relative Link header such as
//     </api/v2.0/projects?page=1&page_size=1>; rel="prev" , </api/v2.0/projects?page=3&page_size=1>; rel="next".
//     page_size defaults to 10; above 100 it is refused with 422.
//   - Lists take Harbor's query language: q=k=v (exact), k=~v (fuzzy),
//     k=[min~max] (range), k={a b} (any), k=(a b) (all), several terms
//     comma-separated, and sort=k or sort=-k. q encoded twice, as harbor-cli
//     sends it, works like Harbor; a malformed q is Harbor's 400.
//   - Basic auth works for admin, users and robots (by their current secret;
//     disabled and expired robots are refused). Wrong credentials make the
//     caller anonymous: public reads still succeed, the rest answers 401.
//     A caller without a permission gets 403.
//   - Robots are named robot$<name> (system) or robot$<project>+<name>
//     (project). POST /robots ignores a chosen secret; PATCH /robots/{id}
//     sets a chosen one or generates one.
//   - Every answer carries X-Request-Id and sets a sid cookie unless the
//     request sent back one the server knows; a POST, PUT, PATCH or DELETE
//     that sends a sid cookie back needs the X-Harbor-CSRF-Token of an
//     earlier answer (and its _gorilla_csrf cookie), or is refused with 403
//     "CSRF token not found in request". A sid the server does not know is
//     anonymous: a public read answers public data only.
//   - Nested repository names work escaped twice (team%252Fapp) or once.
//   - A trailing slash is dropped before routing (/quotas/ lists the
//     quotas), as Harbor's router cleans the path; Link keeps it.
//   - Projects created with registry_id are proxy-cache projects: the
//     registry is checked (one that does not exist is Harbor's 500), stored
//     and read back, and the project gets Harbor's default retention.
//   - A request body larger than 4 MiB is refused with 413, and an
//     anonymous write is refused with 401 before its body is read, so no
//     client can make the server hold more than that (Harbor itself has no
//     practical limit).
//
// # Seeding, inspection and faults
//
// AddProject, AddProjects, AddUser, AddProjectMember, AddRepository,
// AddArtifact and AddAuditLog seed data without HTTP; SetCVEExportSize makes
// CVE export downloads as large as a streaming test needs; Projects, Robots and
// RobotSecret inspect it. SetLatency, FailNext and CutNext inject delays,
// error answers and cut connections; Requests and ConnectionsAccepted show
// what clients sent and how many connections they opened.
//
// Seed and fault helpers check their arguments and panic at the call site
// with a message that names the bad one (FailNext(1, 99), AddProjects(-1),
// AddProject("")), like httptest does for misuse: a test helper called
// wrongly is a bug in the test, not a condition to handle. Options are
// checked too; NewServer panics on an invalid one and Start returns it as an
// error.
//
// # Webhooks
//
// Webhook policies (POST /projects/{p}/webhook/policies) fire as in Harbor:
// every enabled policy of the project that lists the event type sends it to
// each target, in the target's payload format (Default, CloudEvents, or
// Harbor's Slack message for a slack target), with the auth header as
// Authorization. Events fire for pushes made by the seed helpers (AddImage,
// AddTag, AddArtifact, AddArtifactJSON, AddChart: one PUSH_ARTIFACT per
// tag), pulls recorded with Pull (harbortest serves no registry), artifacts
// copied (a push) or deleted through the API (a deleted repository: one
// deletion per artifact), scans that end, fail or are stopped by the
// server's clock (SBOM scans too; an index: its children), storage quota
// warnings (85 %) and refusals (AddImage returns "" and fires QUOTA_EXCEED),
// real retention runs and replications.
// Deliveries are asynchronous, made up to 3 times with the same bytes
// (without Harbor's minute-long waits), and the executions, tasks, task logs,
// jobs and lasttrigger APIs show them as Harbor does. WaitWebhooks waits for
// the deliveries fired so far. Package webhook decodes them; see
// docs/webhooks.md for what differs from Harbor's.
//
// New takes a testing.TB, so this package imports "testing"; that registers
// no flags (they are registered by the test binary's main) and is what a
// test-support package is for.
package harbortest
