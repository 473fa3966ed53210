# The two commands of the README.
.PHONY: test lint bench soak results forecasts fuzz serve test-browser screenshot single mutants mutants-diff mutants-sample

# Runs every test: the format and lint gate, the native suite (the benchmarks are
# compiled by the lint), then the browser tests (which install what they need first).
test:
	$(MAKE) lint
	cargo test
	$(MAKE) test-browser

# The gate: the house format (rustfmt.toml), and clippy with every warning an
# error, natively (library, CLI, tests, benches) and for the browser (src/web/,
# its bench mode, the worker's class and tests/wasm_api.rs, which only build for
# wasm32; and the page's wasm as built, without them).
lint:
	scripts/setup.sh
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --test wasm_api --features bench,worker -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib -- -D warnings

# Prints the benchmark figures with their budgets: native (release; also writes
# target/bench/native.json), then the same figures in headless Chromium with their
# ratio to native, the dashboard's render time, the first frame and the transfer
# sizes. The per-figure detail benches: cargo bench --bench physics|training|forecasters.
bench:
	scripts/setup.sh --browser
	cargo bench --bench budgets
	scripts/build-wasm.sh
	scripts/build-wasm.sh --bench
	node scripts/bench-browser.mjs

# Fast-forwards 10 M steps of the page's engine natively (runs of the largest
# trace, 1 M steps, restarted) and in headless Chromium (SOAK_BROWSER_STEPS,
# default 10 M: the browser plays about 6 k steps a second, so about half an hour), printing the memory
# after 1 M steps and at the end; fails if it grew or a figure was not finite.
SOAK_BROWSER_STEPS ?= 10000000
soak:
	scripts/setup.sh --browser
	cargo bench --bench soak
	scripts/build-wasm.sh --bench
	node scripts/bench-browser.mjs --soak $(SOAK_BROWSER_STEPS)

# Trains and judges every preset: one run at seed 42, then the README's frontier
# tables (every world over 10 seeds on every core, the Rule along its target,
# the agent along its violation weight) and the agent's aims as met or missed.
# About 30 minutes on 2 cores.
results:
	cargo bench --bench results

# Fuzzes every decoder of untrusted input, 100,000 cases each, with overflow
# checks on (the test profile; the test command runs 2,000 each). The fuzz tests
# are the `fuzz::` module of the model's test binary.
fuzz:
	FUZZ_CASES=100000 cargo test --test model fuzz:: -- --nocapture --test-threads 1

# The page: installs what is missing (wasm target, pinned wasm-bindgen CLI, npm
# tools), builds the wasm into www/pkg/, serves www/ on 127.0.0.1 and prints the
# address.
serve:
	scripts/setup.sh
	scripts/build-wasm.sh
	scripts/serve.sh

# The page as one HTML file, dist/autoscale-playground.html: the wasm, its glue,
# the scripts and the stylesheet inlined; works opened from file://.
single:
	scripts/setup.sh
	scripts/build-wasm.sh
	node scripts/build-single.mjs

# The browser tests: the binding in headless Chromium (wasm-bindgen-test) and the
# page end to end (playwright-core under node --test, with a reporter that fails
# on any test that did not run). They write no tracked file: the screenshot is
# `make screenshot`'s alone.
# Installs Chromium and its driver when missing.
test-browser:
	scripts/setup.sh --browser
	scripts/build-wasm.sh
	cargo test --target wasm32-unknown-unknown --test wasm_api --features worker
	node --test --test-reporter=./tests/e2e/reporter.mjs tests/e2e/*.test.mjs

# Regenerates docs/screenshot.png, the README's, with the test browser.
screenshot:
	scripts/setup.sh --browser
	scripts/build-wasm.sh
	node --test --test-reporter=./tests/e2e/reporter.mjs tests/e2e/screenshot.mjs

# The forecasters' accuracy and their effect on control: the README's forecast tables.
forecasts:
	cargo bench --bench forecast_accuracy

# Mutation testing of the modules that decide and judge (scripts/mutants.sh;
# README, "Mutation testing"): MODULE=agent runs one module with the tests that
# cover it (SHARD=K/N a part of it; ITERATE=1 only what its last run missed);
# without MODULE, every module in turn. Prints each module's score and its
# survivors. Not part of `make test`.
mutants:
	scripts/setup.sh --mutants
	scripts/mutants.sh $(if $(MODULE),$(MODULE) $(if $(SHARD),--shard $(SHARD)) $(if $(ITERATE),--iterate),all)

# About SIZE mutants of every module (default 8): each module's estimated score
# with its 95 % interval, in about an hour and a half on 2 cores, where the whole
# census (4,600 mutants) takes days. FROM=module resumes at that module.
mutants-sample:
	scripts/setup.sh --mutants
	scripts/mutants.sh sample $(or $(SIZE),8) $(FROM)

# The same on the lines of src/ changed since BASE (a commit): run it before
# closing an issue, and give the score in the note.
mutants-diff:
	@test -n "$(BASE)" || { echo "usage: make mutants-diff BASE=<commit>"; exit 2; }
	scripts/setup.sh --mutants
	scripts/mutants.sh --diff $(BASE) $(if $(SHARD),--shard $(SHARD))
