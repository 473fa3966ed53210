//! M/M/c queueing in three layers: the closed forms ([`closed_form`]: Erlang B and
//! C, the response-time law), the response times of mixed populations
//! ([`mixture`]: the fluid physics' parts and their quantiles), and the tabulated
//! load ([`load_table`]: the mean number in system, its inverse, and tables of
//! them per server count).
//!
//! Notation: `c` servers of rate `mu`, arrival rate `lambda`, offered load
//! `a = lambda / mu`, utilisation `rho = a / c`, `theta = c·mu − lambda`.

pub mod closed_form;
pub mod load_table;
pub mod mixture;
pub mod sample;

pub use closed_form::{erlang_b, erlang_b_with_derivative, erlang_c, Response};
pub use load_table::{mean_in_system, solve_load, LoadTable, LoadTables};
pub use mixture::{mixture_tail, percentile_in, percentile_of, Part};
pub use sample::{binomial_at_least, p95_exceeding_count, p95_exceeds_probability};
