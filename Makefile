# harbor-sdk-go: generate, verify, test, bench.
# Every target works from a fresh clone; tools are built from the versions pinned in go.mod.

GO        ?= go
BIN       := $(CURDIR)/.bin
SWAGGER   := $(BIN)/swagger
SPEC      ?= swagger.yaml
GEN       := gen
HANDWRITTEN := ./harbor/... ./credentials/... ./harbortest/... ./internal/... ./examples/...
SWAGGER_FLAGS := --template=stratoscale \
	--additional-initialism=CVE --additional-initialism=GC --additional-initialism=OIDC -q

.PHONY: all generate verify-generated test test-race bench lint update-spec tools clean

all: test

$(SWAGGER): go.mod go.sum
	@mkdir -p $(BIN)
	$(GO) build -o $(SWAGGER) github.com/go-swagger/go-swagger/cmd/swagger

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

test-race:
	$(GO) test -race $(HANDWRITTEN)

## bench: run the benchmark suite and print a benchstat table.
bench:
	./internal/bench/run.sh

## lint: gofmt, go vet and staticcheck over hand-written code.
lint:
	@out=$$(gofmt -l harbor credentials harbortest internal examples 2>/dev/null); \
	if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@2025.1.1 $(HANDWRITTEN)

## update-spec: fetch Harbor's swagger.yaml for HARBOR_VERSION, print what changed, regenerate.
update-spec:
	@test -n "$(HARBOR_VERSION)" || { echo "usage: make update-spec HARBOR_VERSION=vX.Y.Z"; exit 2; }
	curl -fsSL -o $(SPEC).new https://raw.githubusercontent.com/goharbor/harbor/$(HARBOR_VERSION)/api/v2.0/swagger.yaml
	$(GO) run ./internal/cmd/specdiff $(SPEC) $(SPEC).new | tee specdiff.txt
	mv $(SPEC).new $(SPEC)
	$(GO) run ./internal/cmd/specversion -set $(HARBOR_VERSION)
	$(MAKE) generate

clean:
	rm -rf $(BIN)
