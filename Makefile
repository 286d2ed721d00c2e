# Twelve-Factor Studio. `make serve` and `make test` install whatever is missing first.
#
# Tool versions live in one place each: Trunk below, wasm-bindgen and wasm-opt in Trunk.toml
# ([tools]; wasm-bindgen must equal Cargo.lock, which `tools` checks), Node packages in
# package-lock.json, Python linters in tests/lint/requirements.txt.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

TRUNK_VERSION := 0.21.14
# Splits the page's wasm module into the first screen and chunks loaded on navigation; the
# format must match wasm_split_helpers in Cargo.lock (a Leptos dependency).
WASM_SPLIT_VERSION := 0.2.4
WASM_BINDGEN_VERSION := $(shell sed -n 's/^wasm_bindgen *= *"\(.*\)"/\1/p' Trunk.toml)
LOCKED_WASM_BINDGEN := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/"/, "", $$3); print $$3}' Cargo.lock)
CARGO_HOME ?= $(HOME)/.cargo
# Per-user tool locations that outlive a clone.
LINT_VENV ?= $(HOME)/.cache/twelve-factor-studio/lint-venv
export PATH := $(CURDIR)/node_modules/.bin:$(CARGO_HOME)/bin:$(PATH)
export CHROMIUM ?= /usr/bin/chromium
export CARGO_TARGET_DIR ?= $(CURDIR)/target
HOST ?= 127.0.0.1
PORT ?= 8080

SOURCES := $(shell find src templates public -type f) index.html Trunk.toml Cargo.toml Cargo.lock tools/finish-build.mjs tools/minify.mjs package-lock.json

.PHONY: help serve build test test-native lint-rust test-apps test-e2e lint-scaffold bench fuzz tools rust-tools node-deps chromium app-runtimes clean

help:
	@echo "make serve   install what is missing, build, serve on http://$(HOST):$(PORT)"
	@echo "make test    install what the tests need, run every test"
	@echo "make test-apps  only the proof that generated projects run (every stack)"
	@echo "make build   release build into dist/ (deploy that folder to any static host)"
	@echo "make bench   print sizes, load times and generation times"
	@echo "make fuzz    long run of the hostile-input property tests (FUZZ_CASES, default 20000)"

## Tools ------------------------------------------------------------------------------------

tools: rust-tools node-deps

rust-tools:
	@if [ "$(WASM_BINDGEN_VERSION)" != "$(LOCKED_WASM_BINDGEN)" ]; then \
	  echo "Trunk.toml pins wasm-bindgen $(WASM_BINDGEN_VERSION) but Cargo.lock has $(LOCKED_WASM_BINDGEN): make them equal." >&2; exit 1; fi
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@if ! trunk --version 2>/dev/null | grep -qx "trunk $(TRUNK_VERSION)"; then \
	  echo "Installing Trunk $(TRUNK_VERSION) into $(CARGO_HOME)/bin (about 15 minutes, once)"; \
	  cargo install trunk --version $(TRUNK_VERSION) --locked; fi
	@if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)"; then \
	  echo "Installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) into $(CARGO_HOME)/bin (once)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi
	@if ! cargo install --list | grep -qx "wasm_split_cli_support v$(WASM_SPLIT_VERSION):"; then \
	  echo "Installing wasm-split-cli $(WASM_SPLIT_VERSION) into $(CARGO_HOME)/bin (once)"; \
	  cargo install wasm_split_cli_support --version $(WASM_SPLIT_VERSION) --features build-binary --locked; fi

# node_modules is rebuilt from the lock file when the lock file changes.
node-deps: node_modules/.installed
node_modules/.installed: package-lock.json package.json
	@command -v node >/dev/null || { echo "Node.js is required: install it (e.g. apt-get install nodejs npm)." >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

# What the generated apps' proof (tests/apps/) needs beyond Node, Python, Rust and the JDK: the
# real PostgreSQL 15 and Redis 7 it runs every starter against (and openssl for Redis's test
# CA), Debian's Go, Ruby with Bundler, Puma, Rack and Minitest, JUnit 5, and the drivers the Go,
# Ruby and Java starters use from Debian because their registries are unreachable here. Without
# root it says what is missing, and the proof skips what it cannot run, with the reason.
APP_RUNTIME_PACKAGES := postgresql postgresql-client redis-server redis-tools openssl \
  golang-go golang-github-lib-pq-dev golang-github-gomodule-redigo-dev \
  ruby ruby-bundler puma ruby-rack ruby-minitest ruby-pg ruby-redis ruby-sequel \
  junit5 libpostgresql-jdbc-java libjackson2-databind-java libhikaricp-java libslf4j-java
app-runtimes:
	@missing=""; for p in $(APP_RUNTIME_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing from Debian's packages:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing >/dev/null || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing >/dev/null; }; \
	  else \
	    echo "Not installed:$$missing (sudo apt-get install$$missing); those stacks' proofs will be skipped." >&2; \
	  fi; fi

chromium:
	@if ! [ -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium from Debian's packages"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null; }; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM): install it (sudo apt-get install chromium) or set CHROMIUM=/path/to/chromium." >&2; exit 1; \
	  fi; fi

## Build and serve --------------------------------------------------------------------------

build: dist/index.html

# Trunk builds the worker, the CSS and index.html. The page's module is built here, because it
# is split between linking and wasm-bindgen, a step Trunk does not have: linked with relocations
# kept (--emit-relocs, for this binary only), wasm-split-cli cuts it at the `wasm_split` functions
# (src/ui/mod.rs) into app.wasm (the first screen), one split_<screen>.wasm per screen and
# chunk_<n>.wasm for code screens share, plus __wasm_split.js that fetches them; then
# wasm-bindgen (keeping the function table the chunks import) and wasm-opt on every module.
# finish-build minifies the JavaScript (terser) and the CSS (lightningcss, its integrity
# recomputed; tools/minify.mjs), then adds the content security policy (with this build's
# inline-script hashes), dist/_headers, the service worker's file list and the precompressed
# .br / .gz files.
APP_SPLIT := $(CARGO_TARGET_DIR)/app-split
WASM_OPT_FLAGS := -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue --enable-mutable-globals
dist/index.html: $(SOURCES) | rust-tools node-deps
	trunk build --release --offline
	cargo rustc --quiet --locked --release --target wasm32-unknown-unknown --bin app --features page -- -C link-arg=--emit-relocs
	rm -rf $(APP_SPLIT)
	wasm-split-cli $(CARGO_TARGET_DIR)/wasm32-unknown-unknown/release/app.wasm $(APP_SPLIT) --out-name app
	wasm-bindgen $(APP_SPLIT)/app.wasm --target web --no-typescript --keep-lld-exports --out-dir $(APP_SPLIT)/bindgen
	cp $(APP_SPLIT)/bindgen/app.js $(APP_SPLIT)/__wasm_split.js dist/
	for module in $(APP_SPLIT)/bindgen/app_bg.wasm $(APP_SPLIT)/split_*.wasm $(APP_SPLIT)/chunk_*.wasm; do \
	  wasm-opt $(WASM_OPT_FLAGS) "$$module" -o "dist/$$(basename "$$module")"; done
	node tools/finish-build.mjs dist
	@touch $@

serve: build
	@echo "Serving dist/ on http://$(HOST):$(PORT) (Ctrl+C to stop)"
	node tests/e2e/static-server.mjs dist $(HOST) $(PORT)

## Tests ------------------------------------------------------------------------------------

test: lint-rust test-native test-apps test-e2e lint-scaffold

test-native:
	cargo test --locked

# Formatting and clippy with warnings as errors, natively (CLI, tests) and for the browser build
# (the page with its `page` feature, as Trunk builds it, and the worker without).
lint-rust: rust-tools
	cargo fmt --check
	cargo clippy --locked --all-targets -- -D warnings
	cargo clippy --locked --target wasm32-unknown-unknown --lib --bin app --features page -- -D warnings
	cargo clippy --locked --target wasm32-unknown-unknown --lib --bin worker -- -D warnings

# Generates a project per stack, installs it, starts its processes and checks the contract.
test-apps: app-runtimes
	cargo build --quiet --locked --bin tfstudio
	node --test --test-reporter=spec tests/apps/

test-e2e: build chromium
	node --test --test-concurrency=1 tests/e2e/

# Generates every combination with the CLI and runs the third-party linters over it.
lint-scaffold: node-deps
	LINT_VENV="$(LINT_VENV)" tests/lint/run.sh

bench: build chromium
	node tests/bench/bench.mjs
	@echo "Generation, native:"
	@cargo run --quiet --locked --release --example bench_generate

# The property tests of tests/hostile_input.rs with many more cases than `make test` runs (256).
# cargo-fuzz would need a nightly toolchain, which this project does not install.
FUZZ_CASES ?= 20000
fuzz:
	PROPTEST_CASES=$(FUZZ_CASES) cargo test --release --locked --test hostile_input

clean:
	rm -rf dist node_modules/.installed
