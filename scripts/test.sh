#!/usr/bin/env bash
# `make test`: every check, in order of cost. Each step runs even when an earlier one failed
# (except set-up), so one run shows everything that is wrong; the exit code is non-zero if any
# step failed. The last line is `steps: N passed, N failed, N skipped`, for CI; nothing is
# skipped any more (a missing suite or tool fails its step), the count stays for the format.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" || die "set-up failed (see above)"

passed=0; failed=0; skipped=0; failures=(); report=()
run() { # run NAME CMD...
  local name="$1"; shift
  step "$name"
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); report+=("ok    $(printf '%4ss' $((SECONDS - t0)))  $name")
  else
    failed=$((failed + 1)); failures+=("$name"); report+=("FAIL  $(printf '%4ss' $((SECONDS - t0)))  $name")
  fi
}
# A suite whose files are missing fails (deleted or moved by mistake): no suite is optional.
suite() { # suite NAME FILES(glob) CMD...
  local name="$1" files="$2"; shift 2
  if compgen -G "$files" >/dev/null; then
    run "$name" "$@"
  else
    run "$name" missing_suite "$files"
  fi
}
missing_suite() { echo "missing test suite: $1" >&2; return 1; }

# The npm core module and its tests leave out the IaC front ends (feature `iac`, default
# natively): they do not fit its size budget.
WASM_CORE=(-p s3-replication-lint --no-default-features --features wasm --target "$WASM_TARGET")

run "cargo fmt --check" cargo fmt --all --check
run "clippy (native, all targets)" cargo clippy --workspace --all-targets -- -D warnings
run "clippy (wasm32, core + wasm feature)" cargo clippy "${WASM_CORE[@]}" --lib --test wasm_api -- -D warnings
run "clippy (wasm32, web)" cargo clippy -p s3-replication-lint-web --target "$WASM_TARGET" --all-targets -- -D warnings
# The fuzz targets (tests/fuzz, outside the workspace; `make fuzz` runs them with nightly)
# must still compile against the core's API: type-checked here on stable.
run "fuzz targets compile" cargo check --manifest-path tests/fuzz/Cargo.toml --bins
run "cargo test (native)" cargo test --workspace --no-fail-fast
run "wasm tests in Node" cargo test "${WASM_CORE[@]}" --test wasm_api
run "wasm tests in headless Chromium" env WASM_BINDGEN_USE_BROWSER=1 cargo test "${WASM_CORE[@]}" --test wasm_api
suite "web wasm tests (Chromium)" "web/tests/*.rs" \
  cargo test -p s3-replication-lint-web --target "$WASM_TARGET"
run "make pkg" "$ROOT/scripts/pkg.sh"
run "npm packaging test" node --test --test-reporter=spec tests/npm/
run "size budget: npm package wasm" node scripts/size-budget.mjs pkg
run "make web" "$ROOT/scripts/web.sh"
run "size budget: web first load" node scripts/size-budget.mjs web
suite "Playwright e2e (Chromium)" tests/e2e/playwright.config.mjs \
  npx --no-install playwright test -c tests/e2e/playwright.config.mjs
suite "parliament policy lint" tests/policy_lint/run_parliament.py \
  python3 tests/policy_lint/run_parliament.py
suite "parliament policy lint (emitted code's policies)" tests/golden/emit \
  python3 tests/policy_lint/run_parliament.py tests/golden/emit
# Rebuilds the policies from the .tf and runs cfn-lint on the .yaml; python-hcl2 and cfn-lint
# come from setup.sh, so without them the step fails. `terraform fmt` runs only when a
# terraform binary is on PATH (optional: setup does not install it; see the README).
suite "emitted code check (python-hcl2, cfn-lint, terraform fmt if present)" tests/policy_lint/check_emitted.py \
  python3 tests/policy_lint/check_emitted.py

printf '\n\033[1m==> summary\033[0m\n'
printf '  %s\n' "${report[@]}"
[ "$failed" -eq 0 ] || printf '\nfailed steps: %s\n' "$(IFS=';'; echo "${failures[*]}")"
printf '\nsteps: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
