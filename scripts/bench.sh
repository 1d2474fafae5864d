#!/usr/bin/env bash
# `make bench`: criterion benchmarks of the core, then `check` (without and with policies) on
# the same generated 1000-rule documents in-process through the npm package (Node), beside the
# native figures.
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

step "check and check + policies through the npm package (Node, in-process)"
node tests/npm/bench.mjs --docs "$DOCS" --criterion "$CARGO_TARGET_DIR/criterion"
