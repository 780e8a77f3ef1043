# Lifeboat — the commands people and CI use. `make help` lists them.
SWIFT ?= swift
SWIFT_BUILD_FLAGS ?=
BIN_DIR ?= /usr/local/bin
VERSION ?= $(shell sed -n 's/.*current = "\(.*\)".*/\1/p' Sources/LifeboatAPI/Meta/LifeboatVersion.swift)
IMAGE ?= lifeboat-operator:$(VERSION)

.PHONY: help bootstrap build release test demo demo-local bench generate install image clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

bootstrap: ## Install the system packages the build and tests need (idempotent)
	@./scripts/bootstrap

build: bootstrap ## Debug build of every target
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

release: bootstrap ## Optimised build (drctl in .build/release)
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS)

test: bootstrap ## Run every test (what CI runs)
	$(SWIFT) build $(SWIFT_BUILD_FLAGS) --product drctl
	$(SWIFT) build $(SWIFT_BUILD_FLAGS) --product lifeboat-operator
	$(SWIFT) test $(SWIFT_BUILD_FLAGS)
	python3 -m pytest -q Tests/cel Tests/kube-apiserver Tests/aws-emulator Tests/demo-env Tests/operator-e2e Tests/operator-chaos Tests/packaging

demo: bootstrap ## The main job: lifeboat-operator in a local cluster, driven with kubectl (docs/demo.md)
	$(SWIFT) build $(SWIFT_BUILD_FLAGS) --product lifeboat-operator
	@./scripts/demo

demo-local: bootstrap ## The same DR run in break-glass mode: drctl, no cluster (docs/demo.md)
	$(SWIFT) build $(SWIFT_BUILD_FLAGS) --product drctl
	@./scripts/demo-local

bench: bootstrap ## Benchmarks (release build): speed and memory, printed as a table
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS) --product lifeboat-bench
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS) --product lifeboat-operator
	.build/release/lifeboat-bench
	./scripts/bench-operator

generate: ## After editing a CRD: re-embed crds/ into the Swift sources, refresh the copies in manifests/ and helm/
	@./scripts/embed-crds
	@./scripts/sync-copies

install: release ## Install drctl, and kubectl-dr so `kubectl dr …` works
	install -m 0755 .build/release/drctl $(BIN_DIR)/drctl
	ln -sf $(BIN_DIR)/drctl $(BIN_DIR)/kubectl-dr

image: ## Build the container image $(IMAGE) with docker or podman (Dockerfile)
	@engine="$$(command -v docker || command -v podman || true)"; \
	if [ -z "$$engine" ]; then echo "image: neither docker nor podman is installed; install one to build $(IMAGE)" >&2; exit 1; fi; \
	echo "image: $$engine build -t $(IMAGE) ."; \
	"$$engine" build --build-arg VERSION=$(VERSION) -t $(IMAGE) .

clean: ## Remove build output
	rm -rf .build
