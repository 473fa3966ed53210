//! Autoscale Playground: a simulator of elastic autoscaling for serving a small
//! language model on GPU replicas.
//!
//! The core is plain Rust with no browser types: [`scenario`] holds every knob,
//! [`workload`] makes the demand, [`queueing`] is the M/M/c mathematics, and
//! [`world`] plays a fleet of replicas against the demand under either physics.

pub mod agent;
pub mod bench;
pub mod error;
pub mod forecast;
pub mod forensics;
pub mod frontier;
pub mod json;
pub mod judge;
pub mod link;
pub mod math;
pub mod policy;
pub mod presets;
pub mod proactivity;
pub mod queueing;
pub mod rng;
pub mod scenario;
pub mod session;
pub mod train;
pub mod view;
#[cfg(target_arch = "wasm32")]
pub mod web;
pub mod workload;
pub mod world;

pub use error::Error;
pub use policy::WorldKind;
pub use scenario::Scenario;
pub use workload::Trace;
pub use world::{StepReport, Summary, World, WorldConfig};
