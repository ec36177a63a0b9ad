// Package binsize holds the programs whose stripped sizes BENCHMARKS.md
// compares (internal/bench/binsize.sh builds them): each creates one system
// robot from HARBOR_URL, HARBOR_USERNAME and HARBOR_PASSWORD and prints its
// name and secret, through
//
//   - facade: harbor.NewClient and Client.CreateRobot;
//   - raw: the generated client (client.New from gen/client, all 38 API tags);
//   - rawrobot: only the generated robot package, on go-openapi's runtime;
//   - baseline: net/http and encoding/json.
package binsize
