#!/usr/bin/env bash
# `make bench`: criterion benchmarks of the core, then the npm package measured against its
# targets (tests/npm/bench.mjs): `check` and `check` with policies at 1, 10, 100 and 1000 rules
# in-process in Node, each divided by criterion's figure of the same bytes from this run; the
# result JSON and its parse cost; the core .wasm gzipped; the CLI's cold start against
# `node -e 0`. Its last table (each figure beside its target) is what BENCHMARKS.md quotes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

step "cargo bench -p s3-replication-lint"
cargo bench -p s3-replication-lint

step "summary: ms and ratio to the bare tokenization floor"
cargo run --quiet --profile bench -p s3-replication-lint --example bench_summary -- --rules

step "generated documents (the benchmarks' generator)"
DOCS="$S3RL_CACHE/bench-docs"
mkdir -p "$DOCS"
cargo run --quiet --release -p s3-replication-lint --example bench_docs -- "$DOCS"

step "the npm package against its targets (Node, in-process; native = criterion above)"
node tests/npm/bench.mjs --docs "$DOCS" --criterion "$CARGO_TARGET_DIR/criterion"
