# Sourced by every script: one place for paths and tool locations.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export S3RL_CACHE="${S3RL_CACHE:-$HOME/.cache/s3rl}"
# Tools live outside the clone so that CI's fresh clone and every work tree share them.
export TOOLS_DIR="${TOOLS_DIR:-$S3RL_CACHE/tools}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$S3RL_CACHE/target}"
export PATH="$TOOLS_DIR/bin:$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
export WASM_TARGET=wasm32-unknown-unknown
export WASM_DIR="$CARGO_TARGET_DIR/$WASM_TARGET/release"
# The editor's wasm leaves the rule docs out of its first load (`--cfg s3rl_no_docs`; a rule
# page reads them from the template module, loaded then): its own target dir, so that cfg
# does not rebuild the other wasm32 builds.
export EDITOR_TARGET_DIR="$CARGO_TARGET_DIR/editor"
export EDITOR_WASM="$EDITOR_TARGET_DIR/$WASM_TARGET/release/s3_replication_lint_web.wasm"
build_editor() {
  CARGO_TARGET_DIR="$EDITOR_TARGET_DIR" RUSTFLAGS="--cfg s3rl_no_docs" \
    cargo build -p s3-replication-lint-web --target "$WASM_TARGET" --release
}

# The package version: the core crate's (the workspace version).
pkg_version() {
  awk -F'"' '/^\[workspace.package\]/{w=1; next} /^\[/{w=0} w && /^version *=/{print $2; exit}' "$ROOT/Cargo.toml"
}

# The wasm-bindgen version the build links against: Cargo.lock first, else the Cargo.toml pin.
wasm_bindgen_version() {
  local v=""
  if [ -f "$ROOT/Cargo.lock" ]; then
    v="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$ROOT/Cargo.lock")"
  fi
  if [ -z "$v" ]; then
    v="$(sed -n 's/^wasm-bindgen *= *"=\{0,1\}\([0-9.]*\)".*/\1/p' "$ROOT/Cargo.toml" | head -n1)"
  fi
  printf '%s\n' "$v"
}

step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run as root, or through sudo when available.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $*"
  fi
}

# The last wasm-opt pass over a budgeted module: -Oz again finds what the first pass opened up,
# and the producers and target-features sections are not needed to run it (0.6-0.8 KB gzipped
# off the package's core module and the editor's, 2026-12-07). Last, because wasm-opt reads
# the features it may use from that section.
WASM_OPT_FINAL=(-Oz --strip-producers --strip-target-features)

# Optimise a .wasm in place with binaryen's wasm-opt (npm binaryen@132; Debian's 108 cannot read it).
wasm_opt_in_place() { # FILE [LEVEL, default z]
  local f="$1" level="${2:-z}"
  command -v wasm-opt >/dev/null || die "wasm-opt not found: run 'make setup' (it comes from npm binaryen)"
  # Features come from the module's target_features section (what rustc enabled).
  wasm-opt "-O$level" "$f" -o "$f.opt"
  wasm-opt "${WASM_OPT_FINAL[@]}" "$f.opt" -o "$f"
  rm -f "$f.opt"
}
