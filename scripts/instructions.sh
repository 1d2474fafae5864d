#!/usr/bin/env bash
# Instructions per call of the core's native operations at 1000 rules, counted by callgrind:
# unlike timings on a shared VM, the same binary and input give the same count, so two
# builds (say, main and a branch) compare exactly. Each figure is (count of ITERS=6 minus
# count of ITERS=1) / 5, which removes generating the document and starting the process.
# scripts/instructions.sh [RULES]   (valgrind from Debian's package)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
RULES="${1:-1000}"
command -v valgrind >/dev/null || { echo "valgrind not found (apt-get install valgrind)" >&2; exit 2; }
cargo build --quiet --profile bench -p s3-replication-lint --example bench_summary
BIN="$CARGO_TARGET_DIR/release/examples/bench_summary"
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" --profile "$@" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '%-16s %-5s %6s %16s\n' op fmt rules "instructions"
for op in parse check policy; do
  for fmt in xml json; do
    one="$(count "$op" "$fmt" "$RULES" 1)"
    six="$(count "$op" "$fmt" "$RULES" 6)"
    name="$op"; [ "$op" = policy ] && name="check+policies"
    printf '%-16s %-5s %6s %16s\n' "$name" "$fmt" "$RULES" "$(( (six - one) / 5 ))"
  done
done
