//! The command line, one file per command (`simulate.rs`, `compare.rs`, ...) over
//! the parts they share: the arguments (`args.rs`), what they read (`input.rs`),
//! where their output goes (`output.rs`, `progress.rs`) and the texts they print
//! (`render.rs`). `src/main.rs` parses the arguments and dispatches; this module
//! holds the one failure every command reports, as the exit status depends on it.

pub mod args;
pub mod compare;
pub mod explain;
pub mod frontier;
mod input;
pub mod keys;
pub mod link;
pub mod output;
pub mod presets;
mod progress;
mod render;
pub mod simulate;
pub mod train;
mod trained;
mod work;

/// Why a command failed, and who can fix it: the user's input (exit 2) or the
/// file system (exit 1).
pub enum Failure {
    Input(String),
    Io(String),
    /// Whoever read the output stopped reading (`| head`): nothing more to say.
    Closed,
}

/// The core's errors are all the user's input to fix.
impl From<autoscale_playground::Error> for Failure {
    fn from(e: autoscale_playground::Error) -> Failure {
        Failure::Input(e.to_string())
    }
}
