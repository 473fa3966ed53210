# The two commands of the README.
.PHONY: test bench results forecasts fuzz serve test-browser screenshot

# Runs every test: the native suite, a check that the benchmarks still compile,
# then the browser tests (which install what they need first).
test:
	cargo test
	cargo check --benches
	$(MAKE) test-browser

# Prints the benchmark figures.
bench:
	cargo bench --bench physics
	cargo bench --bench training
	cargo bench --bench forecasters

# Trains and judges every preset: the README's results table.
results:
	cargo bench --bench results

# Fuzzes every decoder of untrusted input, 100,000 cases each, with overflow
# checks on (the test profile; the test command
# runs 2,000 each).
fuzz:
	FUZZ_CASES=100000 cargo test --test fuzz -- --nocapture --test-threads 1

# The page: installs what is missing (wasm target, pinned wasm-bindgen CLI, npm
# tools), builds the wasm into www/pkg/, serves www/ on 127.0.0.1 and prints the
# address.
serve:
	scripts/setup.sh
	scripts/build-wasm.sh
	scripts/serve.sh

# The browser tests: the binding in headless Chromium (wasm-bindgen-test) and the
# page end to end (playwright-core under node --test; writes docs/screenshot.png).
# Installs Chromium and its driver when missing.
test-browser:
	scripts/setup.sh --browser
	scripts/build-wasm.sh
	cargo test --target wasm32-unknown-unknown --test wasm_api
	node --test tests/e2e/*.test.mjs

# Regenerates docs/screenshot.png, the README's, with the test browser.
screenshot:
	scripts/setup.sh --browser
	scripts/build-wasm.sh
	node --test tests/e2e/screenshot.test.mjs

# The forecasters' accuracy and their effect on control: the README's forecast tables.
forecasts:
	cargo bench --bench forecast_accuracy
