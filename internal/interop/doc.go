// Package interop checks harbortest with a Harbor client written elsewhere:
// goharbor/go-client v0.213.1 drives projects, robots, users, members,
// labels, quotas, registries, repositories and artifacts against
// harbortest.NewServer, and every answer is compared with the one a real
// Harbor v2.15.2 gave to the same request (testdata/harbor-captures of the
// SDK module). Groups that harbortest does not serve yet are skipped.
//
// It is a module of its own so that users of the SDK never download
// go-client; run it with run.sh.
package interop
