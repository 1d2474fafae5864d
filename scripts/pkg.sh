#!/usr/bin/env bash
# `make pkg`: build the core for wasm32 (cargo profile `npm`, feature `wasm`), move the rule
# docs out of the module (scripts/npm-docs.mjs), generate the JS glue for Node (CommonJS) and
# the web (ES module), shrink with wasm-opt, assemble dist/npm/ from www/npm/, and `npm pack`
# it into dist/s3-replication-lint-<version>.tgz. The live editor (`s3-replication-lint/editor`:
# the <s3-replication-editor> element, its stylesheet and the editor's own .wasm) comes from
# web/dist, rebuilt by scripts/web.sh unless it is up to date.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

VERSION="$(pkg_version)"
CRATE=s3_replication_lint
OUT="$ROOT/dist/npm"
STAGE="$S3RL_CACHE/pkg-stage"

# The package's module is built with the `npm` cargo profile (root Cargo.toml: its opt-level
# and the reasons) and shrunk with `wasm-opt $WASM_OPT_FLAGS`. PKG_OPT_LEVEL overrides the
# profile's opt-level for experiments (e.g. PKG_OPT_LEVEL=3 make pkg).
WASM_OPT_FLAGS="${WASM_OPT_FLAGS:--Os}"
profile_env=()
[ -n "${PKG_OPT_LEVEL:-}" ] && profile_env=("CARGO_PROFILE_NPM_OPT_LEVEL=$PKG_OPT_LEVEL")
# LLVM's inline threshold: at opt-level "z" it is 25, so even small hot helpers stay calls.
# A higher one buys speed for size (BENCHMARKS.md has the frontier); cargo profiles cannot set
# it, hence the flag here. It applies to every crate, so it also lowers the threshold of the
# crates built at 3. 15 is the knee measured (BENCHMARKS.md): 254.9 KB, as fast as 20 (259.0 KB)
# and 25 (260.0 KB), 15-25 % faster than 10 (254.3 KB). PKG_INLINE_THRESHOLD overrides it.
PKG_INLINE_THRESHOLD="${PKG_INLINE_THRESHOLD:-15}"
# Panic locations name their source files: the dependencies' and the standard library's as
# paths inside their packages, not this machine's (cargo registry, rustc sysroot).
remap=()
for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [ -d "$dir" ] && remap+=("--remap-path-prefix=$dir=")
done
rustc_commit="$(rustc -vV | sed -n 's/^commit-hash: //p')"
[ -n "$rustc_commit" ] && remap+=("--remap-path-prefix=/rustc/$rustc_commit/library/=")
profile_env+=("RUSTFLAGS=${RUSTFLAGS:+$RUSTFLAGS }-C llvm-args=-inline-threshold=$PKG_INLINE_THRESHOLD ${remap[*]}")

step "cargo build core (wasm32, profile npm, --features wasm${PKG_OPT_LEVEL:+, opt-level $PKG_OPT_LEVEL}, inline threshold $PKG_INLINE_THRESHOLD)"
env "${profile_env[@]}" \
  cargo build -p s3-replication-lint --no-default-features --features wasm --lib --target "$WASM_TARGET" --profile npm
WASM="$CARGO_TARGET_DIR/$WASM_TARGET/npm/$CRATE.wasm"
[ -f "$WASM" ] || die "expected $WASM after the build"

step "rule docs out of the module, wasm-bindgen (nodejs, web) + wasm-opt $WASM_OPT_FLAGS"
# Skipped when the cargo output, the tools and the scripts are unchanged since the last run.
stamp="$(cat "$WASM" <(wasm-bindgen --version) <(wasm-opt --version) <(echo "$WASM_OPT_FLAGS ${WASM_OPT_FINAL[*]}") \
  scripts/npm-docs.mjs | sha256sum | cut -d' ' -f1)"
if [ -f "$STAGE/.stamp" ] && [ "$(cat "$STAGE/.stamp")" = "$stamp" ]; then
  note "unchanged since the last build"
else
  rm -rf "$STAGE"
  mkdir -p "$STAGE/full" "$STAGE/slim"
  # The docs (~105 KB of markdown) go to lib/rules-data.js, read from the module itself.
  wasm-bindgen --target nodejs --no-typescript --out-dir "$STAGE/full" "$WASM"
  node scripts/npm-docs.mjs "$STAGE/full/$CRATE.js" "$WASM" "$STAGE/slim/$CRATE.wasm" "$STAGE/rules-data.js"
  for target in nodejs web; do
    dir="$STAGE/$target"
    # The reset function lets the wrapper re-instantiate the module after a trap (a panic).
    wasm-bindgen --target "$target" --no-typescript --experimental-reset-state-function \
      --out-dir "$dir" "$STAGE/slim/$CRATE.wasm"
    wasm-opt $WASM_OPT_FLAGS "$dir/${CRATE}_bg.wasm" -o "$dir/${CRATE}_bg.wasm.opt"
    wasm-opt "${WASM_OPT_FINAL[@]}" "$dir/${CRATE}_bg.wasm.opt" -o "$dir/${CRATE}_bg.wasm"
    rm -f "$dir/${CRATE}_bg.wasm.opt"
    rm -f "$dir/.gitignore" "$dir/package.json"
  done
  rm -rf "$STAGE/full" "$STAGE/slim"
  printf '%s\n' "$stamp" >"$STAGE/.stamp"
fi

# The template/module module (feature `iac`), loaded on first use: scripts/iac-module.sh.
IAC_STAGE="$("$ROOT/scripts/iac-module.sh")"

step "assemble $OUT"
rm -rf "$OUT"
mkdir -p "$OUT"
cp -R www/npm/. "$OUT/"
cp -R "$STAGE/nodejs/." "$OUT/node/"
cp -R "$STAGE/web/." "$OUT/web/"
mkdir -p "$OUT/iac"
cp -R "$IAC_STAGE/nodejs/." "$OUT/iac/node/"
cp -R "$IAC_STAGE/web/." "$OUT/iac/web/"
rm -f "$OUT/iac/node/.stamp" "$OUT/iac/web/.stamp"
# The Node glue is CommonJS inside a "type": "module" package.
cp www/npm/node/package.json "$OUT/iac/node/package.json"
rm -f "$OUT/node/.stamp" "$OUT/web/.stamp"
cp "$STAGE/rules-data.js" "$OUT/lib/rules-data.js"
# One source for the trap-recovering wrapper: ESM in lib/, CommonJS generated for Node's require.
# The rule docs stay a module of their own (required by the Node entry only when asked for).
esbuild "$OUT/lib/api.js" --bundle --format=cjs --platform=neutral --log-level=warning --outfile="$OUT/lib/api.cjs"
esbuild "$OUT/lib/rules-data.js" --format=cjs --platform=neutral --log-level=warning --outfile="$OUT/lib/rules-data.cjs"
# The same declarations for `import` (ESM) and `require` (CommonJS) consumers.
cp "$OUT/index.d.ts" "$OUT/index.d.cts"
# Stamp the version everywhere it is shown.
node -e '
  const fs = require("fs");
  const [out, version] = process.argv.slice(1);
  const pj = JSON.parse(fs.readFileSync(out + "/package.json", "utf8"));
  pj.version = version;
  fs.writeFileSync(out + "/package.json", JSON.stringify(pj, null, 2) + "\n");
  for (const f of ["lib/api.js", "lib/api.cjs"]) {
    const p = out + "/" + f;
    fs.writeFileSync(p, fs.readFileSync(p, "utf8").replaceAll("0.0.0-dev", version));
  }
' "$OUT" "$VERSION"
[ -f LICENSE ] && cp LICENSE "$OUT/"

step "the live editor -> $OUT/editor (from web/dist)"
# web/dist is reused when its .wasm is newer than the editor's cargo output and its element
# and stylesheet equal www/app's; otherwise scripts/web.sh rebuilds it.
build_editor
WEB_DIST="$ROOT/web/dist"
editor_fresh() {
  [ -f "$WEB_DIST/pkg/s3_replication_lint_web.js" ] &&
    [ "$WEB_DIST/pkg/s3_replication_lint_web_bg.wasm" -nt "$EDITOR_WASM" ] &&
    cmp -s www/app/s3-replication-editor.js "$WEB_DIST/s3-replication-editor.js" &&
    cmp -s www/app/style.css "$WEB_DIST/style.css"
}
if editor_fresh; then
  note "web/dist is up to date"
else
  "$ROOT/scripts/web.sh"
fi
mkdir -p "$OUT/editor/pkg"
cp "$WEB_DIST/s3-replication-editor.js" "$WEB_DIST/style.css" "$OUT/editor/"
cp "$WEB_DIST/pkg/s3_replication_lint_web.js" "$WEB_DIST/pkg/s3_replication_lint_web_bg.wasm" "$OUT/editor/pkg/"
# The editor's JS snippets (its lazy loader of the template/module module) and that module.
[ -d "$WEB_DIST/pkg/snippets" ] && cp -R "$WEB_DIST/pkg/snippets" "$OUT/editor/pkg/"
cp -R "$IAC_STAGE/web" "$OUT/editor/iac"

step "npm pack"
rm -f "dist/s3-replication-lint-$VERSION.tgz"
(cd "$OUT" && npm pack --silent --pack-destination "$ROOT/dist" >/dev/null)
TGZ="dist/s3-replication-lint-$VERSION.tgz"
[ -f "$TGZ" ] || die "npm pack did not produce $TGZ"
for target in node web; do
  f="$OUT/$target/${CRATE}_bg.wasm"
  note "$target wasm: $(stat -c %s "$f") bytes raw, $(gzip -9 -c "$f" | wc -c) bytes gzipped"
done
f="$OUT/iac/node/${CRATE}_bg.wasm"
note "template/module wasm (loaded on first use; not in the core budget): $(stat -c %s "$f") bytes raw, $(gzip -9 -c "$f" | wc -c) bytes gzipped"
f="$OUT/editor/pkg/s3_replication_lint_web_bg.wasm"
note "editor wasm (not in the package's size budget): $(stat -c %s "$f") bytes raw, $(gzip -9 -c "$f" | wc -c) bytes gzipped"
note "$TGZ: $(stat -c %s "$TGZ") bytes"
