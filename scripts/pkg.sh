#!/usr/bin/env bash
# `make pkg`: build the core for wasm32 (release, feature `wasm`), generate the JS glue for
# Node (CommonJS) and the web (ES module), shrink with wasm-opt, assemble dist/npm/ from
# www/npm/, and `npm pack` it into dist/s3-replication-lint-<version>.tgz.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

VERSION="$(pkg_version)"
CRATE=s3_replication_lint
OUT="$ROOT/dist/npm"
STAGE="$S3RL_CACHE/pkg-stage"

# Optimisation level of the package's module (cargo opt-level and wasm-opt -O<level>).
# Measured on the 1000-rule XML document: "z" is 5x slower than "s" (124 ms vs 25 ms in
# Node) for 13% less gzipped size; the issue's speed target (<= 1.7x native) needs "s".
PKG_OPT_LEVEL="${PKG_OPT_LEVEL:-s}"

step "cargo build core (wasm32, release, --features wasm, opt-level $PKG_OPT_LEVEL)"
CARGO_PROFILE_RELEASE_OPT_LEVEL="$PKG_OPT_LEVEL" \
  cargo build -p s3-replication-lint --features wasm --lib --target "$WASM_TARGET" --release
WASM="$WASM_DIR/$CRATE.wasm"
[ -f "$WASM" ] || die "expected $WASM after the build"

step "wasm-bindgen (nodejs, web) + wasm-opt -O$PKG_OPT_LEVEL"
# Skipped when the cargo output and the tools are unchanged since the last run.
stamp="$(cat "$WASM" <(wasm-bindgen --version) <(wasm-opt --version) <(echo "$PKG_OPT_LEVEL") | sha256sum | cut -d' ' -f1)"
if [ -f "$STAGE/.stamp" ] && [ "$(cat "$STAGE/.stamp")" = "$stamp" ]; then
  note "unchanged since the last build"
else
  rm -rf "$STAGE"
  mkdir -p "$STAGE"
  for target in nodejs web; do
    dir="$STAGE/$target"
    # The reset function lets the wrapper re-instantiate the module after a trap (a panic).
    wasm-bindgen --target "$target" --no-typescript --experimental-reset-state-function \
      --out-dir "$dir" "$WASM"
    wasm_opt_in_place "$dir/${CRATE}_bg.wasm" "$PKG_OPT_LEVEL"
    rm -f "$dir/.gitignore" "$dir/package.json"
  done
  printf '%s\n' "$stamp" >"$STAGE/.stamp"
fi

step "assemble $OUT"
rm -rf "$OUT"
mkdir -p "$OUT"
cp -R www/npm/. "$OUT/"
cp -R "$STAGE/nodejs/." "$OUT/node/"
cp -R "$STAGE/web/." "$OUT/web/"
rm -f "$OUT/node/.stamp" "$OUT/web/.stamp"
# One source for the trap-recovering wrapper: ESM in lib/, CommonJS generated for Node's require.
esbuild "$OUT/lib/api.js" --format=cjs --platform=neutral --log-level=warning --outfile="$OUT/lib/api.cjs"
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

step "npm pack"
rm -f "dist/s3-replication-lint-$VERSION.tgz"
(cd "$OUT" && npm pack --silent --pack-destination "$ROOT/dist" >/dev/null)
TGZ="dist/s3-replication-lint-$VERSION.tgz"
[ -f "$TGZ" ] || die "npm pack did not produce $TGZ"
for target in node web; do
  f="$OUT/$target/${CRATE}_bg.wasm"
  note "$target wasm: $(stat -c %s "$f") bytes raw, $(gzip -9 -c "$f" | wc -c) bytes gzipped"
done
note "$TGZ: $(stat -c %s "$TGZ") bytes"
