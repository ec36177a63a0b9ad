#!/usr/bin/env bash
# Runs every fuzz target of the module for a bounded time each.
#
#   internal/fuzz/run.sh            # 10s per target
#   FUZZTIME=1m internal/fuzz/run.sh
#   FUZZTIME=5000x internal/fuzz/run.sh   # a number of executions instead
#
# FUZZTIME is passed to go test -fuzztime (a duration such as 30s or 2m, or
# Nx for N executions; a bare number means seconds). Each target first runs
# its committed seed corpus (testdata/fuzz/<Target>/). A failure stops the
# script with a non-zero status; Go writes the failing input to
# <package>/testdata/fuzz/<Target>/<hash>: commit it as a regression seed
# once the bug is fixed.
set -euo pipefail

cd "$(dirname "$0")/../.."

fuzztime="${FUZZTIME:-10s}"
if [[ "$fuzztime" =~ ^[0-9]+$ ]]; then
	fuzztime="${fuzztime}s"
fi

# package target
targets=(
	"./harbor FuzzNormalizeURL"
	"./harbor FuzzDecodeErrorBody"
	"./harbor FuzzParseLinkNext"
	"./credentials FuzzLoad"
)

for entry in "${targets[@]}"; do
	read -r pkg target <<<"$entry"
	echo "=== fuzz ${pkg} ${target} (${fuzztime})"
	if ! go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "$pkg"; then
		echo "FAIL: ${target} in ${pkg}; the failing input is under ${pkg}/testdata/fuzz/${target}/" >&2
		exit 1
	fi
done
echo "all fuzz targets passed (${fuzztime} each)"
