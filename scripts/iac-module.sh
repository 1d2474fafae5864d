#!/usr/bin/env bash
# The template/module module: the core crate with feature `iac` (CloudFormation, Terraform
# and plan readers) for wasm32, built in its own target dir so the two feature sets do not
# rebuild each other, then wasm-bindgen (nodejs and web) and wasm-opt. Not in the core
# module's size budget: the npm package (node/iac.cjs) and the editor load it on first use,
# only for templates, modules and plans. Prints the stage directory (nodejs/, web/) on
# stdout; progress goes to stderr. Skips what is unchanged.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
CRATE=s3_replication_lint
WASM_OPT_FLAGS="${WASM_OPT_FLAGS:--Os}"
IAC_TARGET_DIR="$CARGO_TARGET_DIR/iac-module"
IAC_STAGE="$S3RL_CACHE/pkg-stage-iac"
{
  step "cargo build the template/module module (wasm32, profile npm-iac, --features wasm,iac)"
  CARGO_TARGET_DIR="$IAC_TARGET_DIR" \
    cargo build -p s3-replication-lint --features wasm,iac --lib --target "$WASM_TARGET" --profile npm-iac
  IAC_WASM="$IAC_TARGET_DIR/$WASM_TARGET/npm-iac/$CRATE.wasm"
  [ -f "$IAC_WASM" ] || die "expected $IAC_WASM after the build"
  stamp="$(cat "$IAC_WASM" <(wasm-bindgen --version) <(wasm-opt --version) <(echo "$WASM_OPT_FLAGS") | sha256sum | cut -d' ' -f1)"
  if [ -f "$IAC_STAGE/.stamp" ] && [ "$(cat "$IAC_STAGE/.stamp")" = "$stamp" ]; then
    note "template/module module unchanged since the last build"
  else
    rm -rf "$IAC_STAGE"
    for target in nodejs web; do
      dir="$IAC_STAGE/$target"
      wasm-bindgen --target "$target" --no-typescript --out-dir "$dir" "$IAC_WASM"
      wasm-opt $WASM_OPT_FLAGS "$dir/${CRATE}_bg.wasm" -o "$dir/${CRATE}_bg.wasm.opt"
      mv "$dir/${CRATE}_bg.wasm.opt" "$dir/${CRATE}_bg.wasm"
      rm -f "$dir/.gitignore" "$dir/package.json"
    done
    printf '%s\n' "$stamp" >"$IAC_STAGE/.stamp"
  fi
} >&2
echo "$IAC_STAGE"
