# s3-replication-lint: every target installs what it needs (idempotently) and skips what is
# already there. Tools go to $(HOME)/.cache/s3rl/tools, the cargo build cache to
# $(HOME)/.cache/s3rl/target (override with TOOLS_DIR / CARGO_TARGET_DIR).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8080

.PHONY: help setup pkg web serve bench test fuzz

help:
	@echo "make serve   live editor on http://127.0.0.1:$(PORT) (builds it first)"
	@echo "make test    every test: fmt, clippy, native + wasm (Node, Chromium) tests, npm package, e2e"
	@echo "make pkg     npm package -> dist/s3-replication-lint-<version>.tgz (and dist/npm/)"
	@echo "make web     the editor's static site -> web/dist/"
	@echo "make bench   criterion benchmarks + the in-process Node benchmark of the package"
	@echo "make fuzz    run each fuzz target for FUZZ_SECONDS (default 60; nightly + cargo-fuzz)"
	@echo "make setup   install the toolchain (wasm32 target, wasm-bindgen-cli, chromium, npm tools, parliament)"

setup:
	@scripts/setup.sh

pkg: setup
	@scripts/pkg.sh

web: setup
	@scripts/web.sh

serve: web
	@echo "serving web/dist on http://127.0.0.1:$(PORT)  (Ctrl-C to stop)"
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory web/dist

bench: pkg
	@scripts/bench.sh

fuzz:
	@scripts/fuzz.sh

test:
	@scripts/test.sh
