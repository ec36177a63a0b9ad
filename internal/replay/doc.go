// Package replay holds the replay test: every exchange recorded with a real
// Harbor v2.15.2 (testdata/harbor-captures) is served again from a local
// test server and read through harbor.NewClient(...).API(), to show that
// the SDK reads what Harbor really sends. It has no non-test code.
package replay
