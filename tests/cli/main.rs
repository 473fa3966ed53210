//! The `autoscale-playground` command line, run as a user runs it: the built
//! binary, its exit status, its messages, its files and its output.
//!
//! One test binary for the commands (the `frontier` command is tested beside the
//! frontier, in `tests/decide/`); each group of commands is a module.

#[path = "../common/mod.rs"]
mod common;

mod costs;
mod hostile;
mod judge;
mod reports;
mod simulate;
