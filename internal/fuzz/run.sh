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
#
# A duration races Go's fuzzing coordinator (go.dev/issue/75804, fixed in
# Go 1.27): on a loaded machine a target can end with a bare "context
# deadline exceeded" at the deadline, having found nothing and written no
# input. Such a run is reported and not counted as a failure once the seed
# corpus passes again; any run that wrote a failing input fails. A number
# of executions (Nx, what CI uses) has no deadline and no such race.
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
	"./internal/termtext FuzzEscape"
)

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for entry in "${targets[@]}"; do
	read -r pkg target <<<"$entry"
	corpus="${pkg}/testdata/fuzz/${target}"
	before="$(ls -A "$corpus" 2>/dev/null || true)"
	echo "=== fuzz ${pkg} ${target} (${fuzztime})"
	status=0
	go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "$pkg" 2>&1 | tee "$log" || status=$?
	if [[ $status -eq 0 ]]; then
		continue
	fi
	after="$(ls -A "$corpus" 2>/dev/null || true)"
	if [[ "$fuzztime" != *x && "$before" == "$after" ]] &&
		grep -qx '[[:space:]]*context deadline exceeded' "$log" &&
		! grep -q 'Failing input written to' "$log"; then
		echo "${target}: Go's fuzzing coordinator ended on its own deadline (go.dev/issue/75804), no failing input; checking the seed corpus again"
		if go test -count=1 -run="^${target}\$" "$pkg"; then
			continue
		fi
	fi
	echo "FAIL: ${target} in ${pkg}; the failing input is under ${corpus}/" >&2
	exit 1
done
echo "all fuzz targets passed (${fuzztime} each)"
