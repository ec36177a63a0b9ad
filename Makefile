# harbor-sdk-go: generate, verify, test, bench.
# Every target works from a fresh clone; the generator is built from the version pinned in
# tools/go.mod (a module of its own, so the SDK's users never inherit it), other tools from
# the versions named here.

GO        ?= go
BIN       := $(CURDIR)/.bin
SWAGGER   := $(BIN)/swagger
SPEC      ?= swagger.yaml
GEN       := gen
HANDWRITTEN := ./harbor/... ./credentials/... ./webhook/... ./harbortest/... ./cmd/... ./internal/... ./examples/...
SWAGGER_FLAGS := --template=stratoscale \
	--additional-initialism=CVE --additional-initialism=GC --additional-initialism=OIDC -q

.PHONY: all generate verify-generated test test-race bench lint update-spec tools clean

all: test

$(SWAGGER): tools/go.mod tools/go.sum
	@mkdir -p $(BIN)
	cd tools && $(GO) build -o $(SWAGGER) github.com/go-swagger/go-swagger/cmd/swagger

tools: $(SWAGGER)

## generate: rewrite gen/ from swagger.yaml, starting from an empty gen/ so removed operations disappear.
generate: $(SWAGGER)
	rm -rf $(GEN)
	mkdir -p $(GEN)
	$(SWAGGER) generate client -f $(SPEC) -t $(GEN) $(SWAGGER_FLAGS)

## verify-generated: regenerate into a temporary copy of the module and fail if gen/ differs.
verify-generated: $(SWAGGER)
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	cp go.mod go.sum $(SPEC) "$$tmp"/ && mkdir -p "$$tmp/$(GEN)" && \
	(cd "$$tmp" && $(SWAGGER) generate client -f $(notdir $(SPEC)) -t $(GEN) $(SWAGGER_FLAGS)) && \
	if diff -r -q "$$tmp/$(GEN)" $(GEN) >"$$tmp/summary" 2>&1; then \
		echo "verify-generated: gen/ matches $(SPEC)"; \
	else \
		echo "verify-generated: gen/ differs from what $(SPEC) generates ($$(wc -l <"$$tmp/summary") files):"; \
		sed -e "s#$$tmp/##g" "$$tmp/summary" | head -40; \
		echo "--- first lines of the diff:"; \
		diff -r -u "$$tmp/$(GEN)" $(GEN) | sed -e "s#$$tmp/##g" | head -60; \
		echo "run 'make generate' and commit the result"; exit 1; \
	fi

## test: the whole test suite (README's test command runs this).
test:
	$(GO) test ./...

## test-race: the race detector over every hand-written package (CI runs this).
test-race:
	$(GO) test -race -count=1 $(HANDWRITTEN)

## bench: run the benchmark suite (COUNT interleaved rounds, -benchmem) and print benchstat
## tables; about 4 minutes on 2 cores. See BENCHMARKS.md; COUNT, PARTS and BASE_TEST are
## read from the environment or the make command line (make bench COUNT=10 PARTS=micro).
bench:
	GO=$(GO) ./internal/bench/run.sh

## lint: gofmt, go vet, staticcheck and revive (doc comments, revive.toml) over hand-written code. Directories of
## HANDWRITTEN that do not exist yet (or hold no Go files) are skipped.
## staticcheck v0.7.0 (2026.1) supports Go 1.25 and 1.26 and builds with Go 1.25,
## so it runs unchanged on both CI Go versions (v0.8.x needs Go 1.26); so does revive v1.15.0
## (v1.16 needs Go 1.26). revive replaces internal/doccheck: its "exported" and
## "package-comments" rules check that every exported name and package is documented.
lint:
	@dirs=; for d in $(patsubst ./%/...,%,$(HANDWRITTEN)); do \
		if [ -d "$$d" ] && [ -n "$$(find "$$d" -name '*.go' -not -path '*/testdata/*' | head -1)" ]; then dirs="$$dirs $$d"; fi; \
	done; \
	if [ -z "$$dirs" ]; then echo "lint: no hand-written Go packages yet"; exit 0; fi; \
	pkgs=$$(for d in $$dirs; do printf './%s/... ' "$$d"; done); \
	echo "lint: gofmt -l$$dirs"; \
	out=$$("$$($(GO) env GOROOT)/bin/gofmt" -l $$dirs) || exit 1; \
	if [ -n "$$out" ]; then echo "not gofmt-formatted (run gofmt -w):"; echo "$$out"; exit 1; fi; \
	echo "lint: go vet $$pkgs"; \
	$(GO) vet $$pkgs || exit 1; \
	echo "lint: staticcheck $$pkgs"; \
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.7.0 $$pkgs || exit 1; \
	echo "lint: revive $$pkgs"; \
	$(GO) run github.com/mgechev/revive@v1.15.0 -config revive.toml -set_exit_status $$pkgs

## update-spec: fetch Harbor's swagger.yaml for HARBOR_VERSION, print what changed (saved to
## specdiff.md for the pull request body), replace swagger.yaml, record the new version in
## harbor/version.go and SWAGGER_SOURCE.md (internal/cmd/updatespec), and regenerate gen/.
update-spec:
	$(GO) run ./internal/cmd/updatespec -version "$(HARBOR_VERSION)"
	$(MAKE) generate
	@echo "update-spec: done; review 'git diff --stat', run the tests, and use specdiff.md as the pull request body"

clean:
	rm -rf $(BIN)
