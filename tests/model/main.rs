//! The model, natively: the M/M/c mathematics, both physics (their properties,
//! and the fluid against the per-request ground truth), the scenario and its
//! codecs, workloads and trace imports, token-based service, the run summary,
//! extreme scenarios, and fuzzing of every decoder of untrusted input.
//!
//! One test binary for what the decisions stand on, so that it is built and
//! linked once; each subject is a module. `make fuzz` runs the `fuzz::` tests
//! alone at full size.

#[path = "../common/mod.rs"]
mod common;

mod fuzz;
mod json;
mod mutants_queueing;
mod mutants_replay;
mod mutants_world;
mod physics_properties;
mod queueing;
mod robustness;
mod scenario;
mod scenario_input;
mod service;
mod summary;
mod trace_import;
mod validation;
mod workload;
