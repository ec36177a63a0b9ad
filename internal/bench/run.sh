#!/usr/bin/env bash
# Runs the benchmark suite of BENCHMARKS.md (harbor/bench_test.go) and prints
# benchstat tables. The test binary is built once and run COUNT times; each
# round runs every benchmark once, so the contenders compared in a table are
# interleaved in time rather than run back to back (noisy machines drift).
#
# Environment:
#   COUNT=8          rounds (benchstat wants 6 or more)
#   PARTS="micro conns listall heap"   which parts to run
#   OUT=dir          where raw results go (default: a new temporary directory)
#   BASE_TEST=file   a test binary built from an older tree (go test -c ./harbor);
#                    it runs in the same rounds, alternating order, and the
#                    tables compare base against new
#   BENCHSTAT=cmd    benchstat command (default: go run of a pinned x/perf)
#
# Typical time with the defaults on 2 cores: about 4 minutes.
set -euo pipefail

cd "$(dirname "$0")/../.."
COUNT=${COUNT:-8}
PARTS=${PARTS:-micro conns listall heap}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/harbor-bench.XXXXXX")}
BENCHSTAT=${BENCHSTAT:-go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da}
GO=${GO:-go}
mkdir -p "$OUT"

echo "# $(${GO} version); $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "# results in $OUT"
"$GO" test -c -o "$OUT/new.test" ./harbor
# Fetch and build benchstat now, so a failure shows before the long part.
$BENCHSTAT -h >/dev/null 2>&1 || { echo "run.sh: cannot run benchstat ($BENCHSTAT)" >&2; exit 1; }

# args for one group: -test.bench regexp and -test.benchtime
group_args() {
	case $1 in
	micro) echo "-test.bench=^Benchmark(ListProjects|CreateRobot)\$ -test.benchtime=1s" ;;
	conns) echo "-test.bench=^BenchmarkConnections\$ -test.benchtime=1000x" ;;
	listall) echo "-test.bench=^BenchmarkListAll\$ -test.benchtime=1s" ;;
	heap) echo "-test.bench=^BenchmarkListAllLiveHeap\$ -test.benchtime=1x" ;;
	*) echo "run.sh: unknown group $1" >&2; exit 2 ;;
	esac
}

run_one() { # binary group outfile
	# shellcheck disable=SC2046
	"$1" -test.run='^$' -test.benchmem -test.count=1 $(group_args "$2") >>"$3.tmp"
	# keep the header lines once, then only result lines
	if [ -s "$3" ]; then grep '^Benchmark' "$3.tmp" >>"$3" || true; else cat "$3.tmp" >>"$3"; fi
	rm -f "$3.tmp"
}

for g in $PARTS; do : >"$OUT/$g.new.txt"; [ -n "${BASE_TEST:-}" ] && : >"$OUT/$g.base.txt"; done
start=$(date +%s)
for i in $(seq 1 "$COUNT"); do
	for g in $PARTS; do
		if [ -n "${BASE_TEST:-}" ] && [ $((i % 2)) -eq 0 ]; then
			run_one "$BASE_TEST" "$g" "$OUT/$g.base.txt"
			run_one "$OUT/new.test" "$g" "$OUT/$g.new.txt"
		elif [ -n "${BASE_TEST:-}" ]; then
			run_one "$OUT/new.test" "$g" "$OUT/$g.new.txt"
			run_one "$BASE_TEST" "$g" "$OUT/$g.base.txt"
		else
			run_one "$OUT/new.test" "$g" "$OUT/$g.new.txt"
		fi
	done
	echo "# round $i/$COUNT done ($(($(date +%s) - start)) s)" >&2
done

table() { echo; echo "## $1"; shift; $BENCHSTAT "$@"; }
ratios() { echo; echo "## $1 (medians and ratios)"; shift; "$GO" run ./internal/bench/ratios "$@"; }
for g in $PARTS; do
	f=$OUT/$g.new.txt
	if [ -n "${BASE_TEST:-}" ]; then
		table "$g: base vs new" base="$OUT/$g.base.txt" new="$f"
		continue
	fi
	case $g in
	micro)
		table "per call, loopback, fixed answers: each implementation vs the hand-written baseline" -col /impl "$f"
		table "per call: facade vs raw generated" -col /impl -filter '/impl:(raw OR facade)' "$f"
		ratios "per call vs baseline" -key impl -base baseline "$f"
		ratios "per call vs raw generated" -key impl -base raw "$f" ;;
	conns)
		table "connections per 1,000 list calls, chunked answers" -col /impl "$f" ;;
	listall)
		table "listing all projects from harbortest: sequential vs Concurrent(8)" -col /mode "$f"
		ratios "listing: conc8/seq (time ratio; speed-up is its inverse)" -key mode -base seq "$f" ;;
	heap)
		table "live heap held while listing: 1,000 vs 10,000 projects (ns/op meaningless)" -col /projects "$f"
		ratios "live heap: 10,000 vs 1,000 projects" -key projects -base 1000 "$f" ;;
	esac
done
