# The two commands of the README.
.PHONY: test bench results

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
