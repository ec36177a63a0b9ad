#!/usr/bin/env bash
# Runs the go-client interop test: goharbor/go-client v0.213.1 against
# harbortest, every answer compared with the recorded Harbor v2.15.2 one.
# This directory is a module of its own (go.mod, go.sum committed), so the
# SDK's users never download go-client; CI runs this script.
#
#   internal/interop/run.sh          # prints the summary line and the result
#   internal/interop/run.sh -v       # every check, known difference and skip
set -euo pipefail

cd "$(dirname "$0")"

# go test prints TestMain's summary line only with -v; the default keeps
# the summary, skips, known differences, failures and the final status.
if [[ "${1:-}" == "-v" ]]; then
	exec go test -count=1 -v ./...
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
go test -count=1 -v ./... >"$log" 2>&1 || status=$?
grep -E '^(--- FAIL|FAIL|ok|panic|interop:)|^\s*--- SKIP|known difference|matches now' "$log" || true
if [[ $status -ne 0 ]]; then
	echo "--- full output:"
	cat "$log"
fi
exit $status
