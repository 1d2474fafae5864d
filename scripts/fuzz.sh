#!/usr/bin/env bash
# `make fuzz`: run every cargo-fuzz target in tests/fuzz for FUZZ_SECONDS each (default 60),
# seeded from the committed fixtures. Needs the nightly toolchain; installs cargo-fuzz once.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install --locked --root "$TOOLS_DIR" cargo-fuzz
seconds="${FUZZ_SECONDS:-60}"
export CARGO_TARGET_DIR="$S3RL_CACHE/fuzz-target"
for target in check roundtrip policies context iac; do
  corpus="$S3RL_CACHE/fuzz-corpus/$target"
  mkdir -p "$corpus"
  find tests/fixtures -type f \( -name '*.xml' -o -name '*.json' -o -name '*.yaml' -o -name '*.tf' \) ! -name '*context*' \
    -exec sh -c 'for f; do cp "$f" "$0/seed-$(printf %s "$f" | tr / _)"; done' "$corpus" {} +
  step "fuzz $target for ${seconds}s"
  cargo +nightly fuzz run --fuzz-dir tests/fuzz "$target" "$corpus" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536
done
