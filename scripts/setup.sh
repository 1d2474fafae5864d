#!/usr/bin/env bash
# Install everything the build and the tests need; every step is skipped when already done.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

has_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qxF -- "$2"; }

step "rust target $WASM_TARGET"
if rustup target list --installed | grep -qx "$WASM_TARGET"; then note "present"; else
  rustup target add "$WASM_TARGET"
fi

step "chromium + chromedriver (Debian)"
if [ -x "$CHROMIUM_PATH" ] && command -v chromedriver >/dev/null 2>&1; then note "present"; else
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
fi

step "npm dev tooling (package-lock.json)"
stamp="$ROOT/node_modules/.s3rl-lock.sha256"
want="$(sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x node_modules/.bin/wasm-opt ]; then
  note "up to date"
else
  npm ci --no-audit --no-fund --loglevel=error
  printf '%s\n' "$want" >"$stamp"
fi

step "cargo fetch"
if [ -f Cargo.lock ]; then cargo fetch --locked; else
  note "no Cargo.lock yet: resolving one"
  cargo fetch
fi

WB_VERSION="$(wasm_bindgen_version)"
step "wasm-bindgen-cli $WB_VERSION -> $TOOLS_DIR"
if has_version wasm-bindgen "wasm-bindgen $WB_VERSION" && [ -x "$TOOLS_DIR/bin/wasm-bindgen-test-runner" ]; then
  note "present"
else
  # 0.2.129's packaged lock resolves here; later ones may not, hence the unlocked fallback.
  cargo install --locked --root "$TOOLS_DIR" wasm-bindgen-cli --version "$WB_VERSION" \
    || cargo install --root "$TOOLS_DIR" wasm-bindgen-cli --version "$WB_VERSION"
fi

step "parliament (IAM policy linter for the policy tests)"
if python3 -c 'import parliament' 2>/dev/null; then note "present"; else
  python3 -m pip install --quiet --disable-pip-version-check parliament==1.6.4
fi

step "python-hcl2 and cfn-lint (checks of the policies emitted as Terraform and CloudFormation)"
if python3 -c 'import hcl2' 2>/dev/null; then note "python-hcl2 present"; else
  python3 -m pip install --quiet --disable-pip-version-check python-hcl2==8.1.4
fi
if python3 -c 'import cfnlint' 2>/dev/null; then note "cfn-lint present"; else
  python3 -m pip install --quiet --disable-pip-version-check cfn-lint==1.51.0
fi

step "setup done"
