#!/usr/bin/env bash
# Installs what building and testing OneWindow needs, skipping what is already there.
# Usage: scripts/setup.sh build   (wasm target, trunk, wasm-bindgen, wasm-opt, brotli)
#        scripts/setup.sh test    (the above, plus chromium, chromedriver, CJK fonts, npm test deps)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-build}
tools="$PWD/.tools"
mkdir -p "$tools"
log() { printf '[setup] %s\n' "$*" >&2; }

# Debian packages, installed in one apt run (run 'apt-get update' first, once).
need_pkgs=()
command -v brotli >/dev/null || need_pkgs+=(brotli)
if [ "$mode" = test ]; then
  command -v chromium >/dev/null || need_pkgs+=(chromium)
  command -v chromedriver >/dev/null || need_pkgs+=(chromium-driver)
  [ -d /usr/share/fonts/opentype/noto ] || need_pkgs+=(fonts-noto-cjk)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  log "apt-get install ${need_pkgs[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# Trunk 0.22 needs a newer rustc than this machine's; 0.21.14 works.
if ! trunk --version 2>/dev/null | grep -q '0.21.14'; then
  log "cargo install trunk 0.21.14 (about 15 minutes the first time)"
  cargo install trunk --version 0.21.14 --locked
fi

# The wasm-bindgen CLI must be exactly the library's version in Cargo.lock.
wbg=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
  log "cargo install wasm-bindgen-cli $wbg"
  # Not --locked: the CLI's own lockfile names versions the registry index may not have yet.
  cargo install wasm-bindgen-cli --version "$wbg"
fi

# Debian's binaryen is too old for current Rust wasm; npm's binaryen 132 ships wasm-opt.
if [ ! -x "$tools/node_modules/.bin/wasm-opt" ]; then
  log "npm install binaryen@132"
  npm install --silent --no-audit --no-fund --prefix "$tools" binaryen@132 >/dev/null
fi
# esbuild minifies the JS glue in Trunk's post_build hook (scripts/compress-dist.sh).
if [ ! -x "$tools/node_modules/.bin/esbuild" ]; then
  log "npm install esbuild@0.28.2"
  npm install --silent --no-audit --no-fund --prefix "$tools" esbuild@0.28.2 >/dev/null
fi

if [ "$mode" = test ] && [ ! -d tests/browser/node_modules/playwright-core ]; then
  log "npm ci in tests/browser"
  (cd tests/browser && npm ci --silent --no-audit --no-fund >/dev/null)
fi

# Trunk runs cargo with --offline: fetch every crate first.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch >/dev/null
