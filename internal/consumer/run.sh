#!/usr/bin/env bash
# The SDK as a consumer meets it, until the module is published: a throwaway
# module requires it through a replace to this checkout (the commands README
# shows), builds README's Quick start program as its main package, and
# fails when its module graph (go list -m all, the module itself included)
# holds more than MAX_MODULES modules (56): the code generator's
# dependencies stay in tools/go.mod, out of every consumer's build.
# Needs the Go module proxy (or a warm module cache); CI runs it from .ci/run.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
max="${MAX_MODULES:-56}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

awk '/^## Quick start/ { q = 1 } q && /^```go$/ { f = 1; next } f && /^```$/ { exit } f' \
	"$root/README.md" >main.go
if ! grep -q '^package main' main.go; then
	echo "consumer: README.md has no \`\`\`go program under \"## Quick start\"" >&2
	exit 1
fi

go mod init example.com/consumer 2>/dev/null
go mod edit -require=github.com/harborkit/harbor-sdk-go@v0.0.0 \
	-replace=github.com/harborkit/harbor-sdk-go="$root"
GOFLAGS=-mod=mod go mod tidy
go build -o /dev/null .

n=$(go list -m all | wc -l)
if [ "$n" -gt "$max" ]; then
	echo "consumer: a module requiring the SDK lists $n modules in go list -m all (at most $max):" >&2
	go list -m all >&2
	echo "consumer: did a tool's dependency move into go.mod? Pin tools in tools/go.mod." >&2
	exit 1
fi
echo "consumer: README's Quick start builds in a module requiring the SDK through a replace; its graph holds $n modules (at most $max)"
