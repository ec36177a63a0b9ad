#!/usr/bin/env bash
# Prints the stripped sizes (go build -ldflags='-s -w') of the programs in
# internal/bench/binsize, where the facade's bytes go (go tool nm -size,
# summed by package with ./nmgroup) and which packages pull in OpenTelemetry.
set -euo pipefail
cd "$(dirname "$0")/../.."
GO=${GO:-go}
out=$(mktemp -d "${TMPDIR:-/tmp}/harbor-binsize.XXXXXX")
trap 'rm -rf "$out"' EXIT

echo "# $($GO version); stripped sizes (-ldflags='-s -w')"
printf '%-10s %12s\n' program bytes
for p in baseline models runtime rawrobot raw facade; do
	"$GO" build -ldflags='-s -w' -o "$out/$p" "./internal/bench/binsize/$p"
	printf '%-10s %12s\n' "$p" "$(wc -c <"$out/$p" | tr -d ' ')"
done

[ "${1:-}" = "-short" ] && exit 0

for p in facade baseline; do
	echo
	echo "## $p: symbol bytes by package (go tool nm -size, unstripped build)"
	"$GO" build -o "$out/$p.full" "./internal/bench/binsize/$p"
	"$GO" run ./internal/bench/nmgroup -n 30 "$out/$p.full"
done

echo
echo "## packages linked into facade: $("$GO" list -deps ./internal/bench/binsize/facade | wc -l) (baseline: $("$GO" list -deps ./internal/bench/binsize/baseline | wc -l))"
echo "## who pulls in OpenTelemetry and the other heavy packages (go list -deps edges):"
"$GO" list -deps -f '{{.ImportPath}}{{range .Imports}} {{.}}{{end}}' ./internal/bench/binsize/facade |
	awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^(go\.opentelemetry\.io\/otel[a-z0-9.\/]*|github\.com\/go-openapi\/(runtime\/middleware|runtime\/yamlpc|validate|loads|spec|analysis)|html\/template|encoding\/xml|encoding\/gob|go\.yaml\.in\/yaml\/v3|golang\.org\/x\/text\/currency|github\.com\/go-viper\/mapstructure\/v2)$/ && $1 !~ /^(go\.opentelemetry\.io|github\.com\/go-openapi\/(analysis|loads|spec))/) print "  " $1 " -> " $i }' | sort -u
