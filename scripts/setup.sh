#!/usr/bin/env bash
# Installs what the browser build needs and is missing, into the project where it
# can (.tools/, node_modules/): the wasm32 target, the wasm-bindgen CLI pinned to
# the crate's wasm-bindgen, and the npm tools (binaryen's wasm-opt, esbuild, playwright-core).
# With --browser, also Chromium and its driver (for the tests), via apt-get.
# With --mutants, only what `make mutants` runs: cargo-mutants, pinned, into
# .tools/, and cargo-nextest at its pinned version (the machine's own when it is
# that version, else built into .tools/).
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
CARGO_MUTANTS_VERSION=27.0.0
CARGO_NEXTEST_VERSION=0.9.143
TOOLS="$PWD/.tools"

say() { printf 'setup: %s\n' "$*"; }

# Runs a command as root: directly, or through sudo when there is one.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        say "need root to run: $*"; return 1
    fi
}

if [ "${1:-}" = "--mutants" ]; then
    if [ "$("$TOOLS/bin/cargo-mutants" mutants --version 2>/dev/null)" != "cargo-mutants $CARGO_MUTANTS_VERSION" ]; then
        say "installing cargo-mutants $CARGO_MUTANTS_VERSION into .tools/ (a few minutes)"
        cargo install cargo-mutants --version "$CARGO_MUTANTS_VERSION" --locked --root "$TOOLS"
    fi
    # scripts/mutants.sh puts .tools/bin first on its PATH, so a nextest built there
    # is the one cargo finds.
    if ! PATH="$TOOLS/bin:$PATH" cargo nextest --version 2>/dev/null | grep -qxE "cargo-nextest $CARGO_NEXTEST_VERSION( .*)?"; then
        say "installing cargo-nextest $CARGO_NEXTEST_VERSION into .tools/ (several minutes)"
        cargo install cargo-nextest --version "$CARGO_NEXTEST_VERSION" --locked --root "$TOOLS"
    fi
    exit 0
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

# The pinned CLI is built once per machine into the user's cache (as cargo keeps
# its registry there), then copied into .tools/: a second clone on the same
# machine, CI's among them, copies it in a second instead of building it again.
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/autoscale-playground/wasm-bindgen-cli-$WASM_BINDGEN_VERSION"
if [ "$("$TOOLS/bin/wasm-bindgen" --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    if [ "$("$CACHE/bin/wasm-bindgen" --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
        say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION into $CACHE (about two minutes, once per machine)"
        # No --locked: one of its locked dependencies is no longer in the registry.
        cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$CACHE"
    fi
    say "copying wasm-bindgen-cli $WASM_BINDGEN_VERSION into .tools/"
    mkdir -p "$TOOLS/bin"
    cp "$CACHE"/bin/wasm-bindgen* "$TOOLS/bin/"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    say "installing Node.js and npm"
    as_root apt-get update
    as_root apt-get install -y nodejs npm
fi
# npm ci when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm tools (binaryen, esbuild, playwright-core)"
    npm ci --no-audit --no-fund
fi

if [ "${1:-}" = "--browser" ] && { [ ! -x /usr/bin/chromium ] || ! command -v chromedriver >/dev/null; }; then
    say "installing chromium and chromium-driver"
    as_root apt-get update
    as_root apt-get install -y chromium chromium-driver
fi
