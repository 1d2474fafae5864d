#!/usr/bin/env bash
# `make web`: the live editor as a static site in web/dist/ (no trunk: cargo + wasm-bindgen +
# wasm-opt, then the hand-written pages from www/app/).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

DIST="$ROOT/web/dist"
step "cargo build web (wasm32, release, rule docs left out)"
build_editor
WASM="$EDITOR_WASM"
[ -f "$WASM" ] || die "expected $WASM after the build (does web/ have a [lib] with crate-type cdylib, or a bin?)"

step "wasm-bindgen (web) + wasm-opt -Oz -> $DIST/pkg"
rm -rf "$DIST"
mkdir -p "$DIST/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$DIST/pkg" "$WASM"
rm -f "$DIST/pkg/.gitignore"
wasm_opt_in_place "$DIST/pkg/s3_replication_lint_web_bg.wasm"

step "static files"
if [ -d www/app ]; then
  cp -R www/app/. "$DIST/"
else
  die "www/app/ is missing: it holds the editor's index.html"
fi
[ -f www/embed.html ] && cp www/embed.html "$DIST/"
# The template/module module, imported by the editor only when a template or .tf is pasted
# (not part of the first load).
IAC_STAGE="$("$ROOT/scripts/iac-module.sh")"
cp -R "$IAC_STAGE/web" "$DIST/iac"
f="$DIST/pkg/s3_replication_lint_web_bg.wasm"
note "web wasm: $(stat -c %s "$f") bytes raw, $(gzip -9 -c "$f" | wc -c) bytes gzipped"
