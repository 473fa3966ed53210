# The two commands of the README.
.PHONY: test bench results fuzz

# Runs every test (and checks that the benchmarks still compile).
test:
	cargo test
	cargo check --benches

# Prints the benchmark figures.
bench:
	cargo bench --bench physics
	cargo bench --bench training

# Trains and judges every preset: the README's results table.
results:
	cargo bench --bench results

# Fuzzes every decoder of untrusted input, 100,000 cases each (the test command
# runs 2,000 each).
fuzz:
	FUZZ_CASES=100000 cargo test --release --test fuzz -- --nocapture --test-threads 1
