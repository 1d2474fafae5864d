#!/usr/bin/env bash
# `make test`: every check, in order of cost. Each step runs even when an earlier one failed
# (except set-up), so one run shows everything that is wrong; the exit code is non-zero if any
# step failed. The last line is `steps: N passed, N failed, N skipped`, for CI.
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
skip() { skipped=$((skipped + 1)); report+=("skip         $1 ($2)"); step "$1: skipped ($2)"; }

# The npm core module and its tests leave out the IaC front ends (feature `iac`, default
# natively): they do not fit its size budget.
WASM_CORE=(-p s3-replication-lint --no-default-features --features wasm --target "$WASM_TARGET")

run "cargo fmt --check" cargo fmt --all --check
run "clippy (native, all targets)" cargo clippy --workspace --all-targets -- -D warnings
run "clippy (wasm32, core + wasm feature)" cargo clippy "${WASM_CORE[@]}" --lib --test wasm_api -- -D warnings
run "clippy (wasm32, web)" cargo clippy -p s3-replication-lint-web --target "$WASM_TARGET" --all-targets -- -D warnings
run "cargo test (native)" cargo test --workspace --no-fail-fast
run "wasm tests in Node" cargo test "${WASM_CORE[@]}" --test wasm_api
run "wasm tests in headless Chromium" env WASM_BINDGEN_USE_BROWSER=1 cargo test "${WASM_CORE[@]}" --test wasm_api
if compgen -G "web/tests/*.rs" >/dev/null; then
  run "web wasm tests (Chromium)" cargo test -p s3-replication-lint-web --target "$WASM_TARGET"
else
  skip "web wasm tests" "no web/tests/*.rs"
fi
run "make pkg" "$ROOT/scripts/pkg.sh"
run "npm packaging test" node --test --test-reporter=spec tests/npm/
run "size budget: npm package wasm" node scripts/size-budget.mjs pkg
run "make web" "$ROOT/scripts/web.sh"
run "size budget: web first load" node scripts/size-budget.mjs web
if [ -f tests/e2e/playwright.config.mjs ]; then
  run "Playwright e2e (Chromium)" npx --no-install playwright test -c tests/e2e/playwright.config.mjs
else
  skip "Playwright e2e" "no tests/e2e/playwright.config.mjs"
fi
if [ -f tests/policy_lint/run_parliament.py ]; then
  run "parliament policy lint" python3 tests/policy_lint/run_parliament.py
else
  skip "parliament policy lint" "no tests/policy_lint/run_parliament.py"
fi
if [ -f tests/policy_lint/run_parliament.py ] && [ -d tests/golden/emit ]; then
  run "parliament policy lint (emitted code's policies)" python3 tests/policy_lint/run_parliament.py tests/golden/emit
fi
if ! python3 -c 'import hcl2' 2>/dev/null; then
  skip "emitted code check" "python-hcl2 not installed"
elif ! python3 -c 'import cfnlint' 2>/dev/null; then
  skip "emitted code check" "cfn-lint not installed"
else
  # Rebuilds the policies from the .tf, cfn-lint on the .yaml, terraform fmt when present.
  run "emitted code check (python-hcl2, cfn-lint, terraform fmt)" python3 tests/policy_lint/check_emitted.py
fi

printf '\n\033[1m==> summary\033[0m\n'
printf '  %s\n' "${report[@]}"
[ "$failed" -eq 0 ] || printf '\nfailed steps: %s\n' "$(IFS=';'; echo "${failures[*]}")"
printf '\nsteps: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
