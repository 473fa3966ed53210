# The two commands of the README.
.PHONY: test bench

# Runs every test (and checks that the benchmarks still compile).
test:
	cargo test
	cargo check --benches

# Prints the benchmark figures.
bench:
	cargo bench --bench physics
