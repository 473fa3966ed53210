#!/usr/bin/env bash
# Builds the page's wasm into www/pkg/: cargo (profile wasm-release: size-optimised,
# LTO), the pinned wasm-bindgen CLI (ES module for the browser, name section removed),
# then binaryen 132's wasm-opt (flags in wasm-pack.toml), then short import and
# export names (scripts/short-names.mjs). Debian's binaryen (108) is never used:
# its output fails at start-up. Skips these steps when the wasm is unchanged
# (their outputs are moved into place only when all succeeded).
# The training worker gets its own build of the same crate, optimised for speed
# (pkg/trainer_core.js and trainer_core_bg.wasm, fetched only when the page trains).
# Then bundles and minifies the page's JavaScript with esbuild into www/pkg/app.js
# and www/pkg/trainer.js (the files index.html and the worker load), and minifies
# its stylesheet into www/pkg/style.css (which index.html loads).
# With --bench: the same build with the in-browser bench functions (cargo feature
# `bench`, which the page's wasm does not carry) into www/pkg-bench/, for
# www/bench.html; no prebuilt training.
set -euo pipefail
cd "$(dirname "$0")/.."

# The settings live in wasm-pack.toml: `key = "value"` lines.
setting() {
    sed -n "s/^$1[[:space:]]*=[[:space:]]*\"\(.*\)\"[[:space:]]*$/\1/p" wasm-pack.toml | head -n 1
}
PROFILE=$(setting profile)
TARGET=$(setting target)
OUT=$(setting out-dir)
OPT=$(setting wasm-opt)
if [ -z "$PROFILE" ] || [ -z "$TARGET" ] || [ -z "$OUT" ]; then
    echo "build: wasm-pack.toml must set profile, target and out-dir" >&2
    exit 2
fi
WASM=target/wasm32-unknown-unknown/$PROFILE/autoscale_playground.wasm

if [ "${1:-}" = "--bench" ]; then
    # Its own target folder, so that the page's wasm and this one never overwrite
    # each other's build.
    OUT="$OUT-bench"
    WASM=target/bench-wasm/wasm32-unknown-unknown/$PROFILE/autoscale_playground.wasm
    cargo build --lib --target wasm32-unknown-unknown --profile "$PROFILE" --features bench --target-dir target/bench-wasm
    mkdir -p "$OUT"
else
cargo build --lib --target wasm32-unknown-unknown --profile "$PROFILE"

# The trained agents the page starts with, one per preset: trained here, natively,
# so that a newcomer sees the trained agent play at once instead of after seconds
# of training in the browser. The arithmetic is the browser's own (one seed, libm
# on both targets), so the table is the one the page would have trained; the page
# adopts it only when its scenario is exactly the preset's, and trains otherwise.
# The presets and their episodes come from the CLI (src/presets.rs and the
# scenario's default agent.episodes), the page's own: the e2e test `the page
# starts with the prebuilt training of its preset` fails if they differ.
cargo build --release --quiet --bin autoscale-playground
mkdir -p "$OUT"
# With each, the ablation's agent (No forecast, trained without the forecast in
# its state), which a lesson link shows: fetched only then, so that a lesson on
# a real trace does not wait half a minute for it to train in the page.
for preset in $(target/release/autoscale-playground presets); do
    state="$OUT/trained-$preset.json"
    blind="$OUT/trained-$preset-no-forecast.json"
    # Stale when the CLI or this script (the episodes) changed since.
    if [ ! "$state" -nt target/release/autoscale-playground ] || [ scripts/build-wasm.sh -nt "$state" ] \
        || [ ! "$blind" -nt target/release/autoscale-playground ]; then
        target/release/autoscale-playground train --preset "$preset" --out /dev/null --state "$state" \
            --ablation-state "$blind" >/dev/null
    fi
done
# The real traces the presets replay, served beside the page at the path their
# scenarios name (fetched only when such a preset is chosen, never at load).
mkdir -p www/traces
cp -R traces/azure-llm-2023 www/traces/
fi
# The glue and the optimised wasm of cargo's $2, as $OUT/$1.js and $OUT/$1_bg.wasm,
# with wasm-opt's flags $3; again only when the wasm, or the wasm-opt flags
# (wasm-pack.toml), changed since.
finish() {
local name=$1 wasm=$2 opt=$3
if [ ! "$OUT/${name}_bg.wasm" -nt "$wasm" ] || [ ! "$OUT/$name.js" -nt "$wasm" ] \
    || [ wasm-pack.toml -nt "$OUT/${name}_bg.wasm" ] \
    || [ scripts/short-names.mjs -nt "$OUT/${name}_bg.wasm" ]; then
# Built in a scratch folder and moved into place only when every step succeeded:
# a failed wasm-opt must not leave an unoptimised wasm newer than the cargo
# build, which the test above would then take as done.
local stage
stage=$(mktemp -d target/wasm-stage.XXXXXX)
.tools/bin/wasm-bindgen --target "$TARGET" --no-typescript --remove-name-section --encode-into always --out-name "$name" --out-dir "$stage" "$wasm"
# The glue carries every Rust doc comment of the exported API as JSDoc (a fifth
# of its gzip bytes, which the page's budget counts): the source documents it.
node -e 'const fs = require("fs"); const f = process.argv[1];
fs.writeFileSync(f, fs.readFileSync(f, "utf8").replace(/^[ \t]*\/\*\*[\s\S]*?\*\/\n/gm, ""));' "$stage/$name.js"
# $opt unquoted: its flags, one word each.
# shellcheck disable=SC2086
[ -z "$opt" ] || node_modules/.bin/wasm-opt $opt --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types \
    "$stage/${name}_bg.wasm" -o "$stage/${name}_bg.wasm"
# Short import and export names in the wasm and the glue alike (wasm-bindgen's
# carry hashes, which do not compress): 3.6 KB less gzip on 2026-12-06.
node scripts/short-names.mjs "$stage/${name}_bg.wasm" "$stage/$name.js"
# The wasm last, so that the glue is never older than it.
mv -f "$stage/$name.js" "$OUT/$name.js"
mv -f "$stage/${name}_bg.wasm" "$OUT/${name}_bg.wasm"
rm -rf "$stage"
fi
}
finish autoscale_playground "$WASM" "$OPT"
# The training worker's wasm (www/trainer.js loads pkg/trainer_core.js): the same
# crate built for speed (wasm-pack.toml's trainer-profile and trainer-wasm-opt).
# Not for the bench build, which times the page's own wasm.
if [ "$OUT" = "$(setting out-dir)" ]; then
    TRAINER_PROFILE=$(setting trainer-profile)
    cargo build --lib --target wasm32-unknown-unknown --profile "$TRAINER_PROFILE" --features worker
    finish trainer_core "target/wasm32-unknown-unknown/$TRAINER_PROFILE/autoscale_playground.wasm" "$(setting trainer-wasm-opt)"
    raw=$(stat -c %s "$OUT/trainer_core_bg.wasm")
    gz=$(gzip -9 -c "$OUT/trainer_core_bg.wasm" | wc -c)
    printf 'build: %s (%d KB, %d KB gzipped; the worker'"'"'s, fetched when the page trains)\n' "$OUT/trainer_core_bg.wasm" $((raw / 1024)) $((gz / 1024))
fi
raw=$(stat -c %s "$OUT/autoscale_playground_bg.wasm")
gz=$(gzip -9 -c "$OUT/autoscale_playground_bg.wasm" | wc -c)
printf 'build: %s (%d KB, %d KB gzipped)\n' "$OUT/autoscale_playground_bg.wasm" $((raw / 1024)) $((gz / 1024))

# The page's JavaScript as the page loads it (index.html loads pkg/app.js): its
# modules from www/app.js along their imports, and the glue, bundled into one
# minified ES module; the worker (www/trainer.js and the glue) likewise into
# pkg/trainer.js, beside it. Both sit beside the glue, whose wasm URL is relative
# to its module. The sources in www/ stay as they are (build-single.mjs inlines
# them); no source maps. esbuild is pinned in package.json (scripts/setup.sh).
# The glue's two private properties of every Rust object's wrapper (its pointer,
# and the method that gives it up) get short names; no page module reads them.
if [ "$OUT" = "$(setting out-dir)" ]; then
    for entry in app trainer; do
        node_modules/.bin/esbuild "www/$entry.js" --bundle --format=esm --minify --target=es2022 \
            --mangle-props='^(__wbg_ptr|__destroy_into_raw)$' \
            --legal-comments=none --log-level=warning --outfile="$OUT/$entry.js"
    done
    raw=$(cat "$OUT/app.js" | wc -c)
    gz=$(gzip -9 -c "$OUT/app.js" | wc -c)
    printf 'build: %s (%d KB, %d KB gzipped)\n' "$OUT/app.js" $((raw / 1024)) $((gz / 1024))
    # The stylesheet minified likewise (its comments are a third of its gzip
    # bytes), into pkg/style.css, which index.html loads.
    node_modules/.bin/esbuild www/style.css --minify --legal-comments=none --log-level=warning \
        --outfile="$OUT/style.css"
fi
