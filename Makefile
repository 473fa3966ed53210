# The two commands of the README.
.PHONY: test bench

# Runs every test.
test:
	cargo test --all-targets

# Prints the benchmark figures.
bench:
	cargo bench --bench physics
