// Package harbor is a Go client for Harbor's v2.0 API: a small hand-written
// facade over the client go-swagger generates from Harbor's OpenAPI spec
// (package gen/client). The facade adds client construction,
// authentication, TLS, retries, one error type, pagination and helpers such
// as privileged robot accounts; it never hides a generated operation:
// (*Client).API returns the full generated client, with every call going
// through the same path. CONTRIBUTING.md says which file holds what.
//
//	c, err := harbor.NewClient("https://harbor.example.com", harbor.WithBasicAuth("robot$ci", secret))
//	if err != nil { ... }
//	who, err := c.Whoami(ctx)                        // checks the credentials
//	res, err := c.API().Project.GetProject(ctx, project.NewGetProjectParams().WithProjectNameOrID("library"))
//	for p, err := range harbor.All(ctx, c.API().Project.ListProjects, project.NewListProjectsParams()) {
//		...                                          // every project, page after page
//	}
//	if errors.Is(err, harbor.ErrNotFound) { ... }    // on the error exactly as returned
//	var he *harbor.Error; errors.As(err, &he)        // status, path, request id, Harbor's messages
//
// Automation should authenticate as a robot: from Harbor v2.15 on, every
// request authenticated as a user costs the server a password hash (about
// 100 ms of CPU), a robot's a few milliseconds.
//
// Every call answered outside 2xx returns an *Error, whatever the content
// type; it unwraps to the generated typed error. A POST or PATCH written on
// the wire whose answer was lost matches ErrOutcomeUnknown; a request never
// written says "not sent"; a 2xx answer that is not Harbor's API matches
// ErrUnexpectedContent.
//
// Settings given at construction are With... options; settings of one call
// are options of that call (ListOption, ScanOption, RobotOption) or, for
// a group that belongs together, a struct (WalkOptions). A nil option, or a
// nil *WalkOptions, means the defaults; a bad value is an error naming the
// option or field, returned (or yielded) before any request. Every
// helper's error starts "harbor: <Helper>: " and, when Harbor answers 403,
// ends with the access that helper needs, which its doc also lists. The
// generated parameters take pointers: Ptr(true) fills a *bool.
package harbor
