//! The page's view-model, plain Rust and tested natively: what a frame does
//! (pre-train a forecaster, train, fast-forward, play), the bounded history the
//! charts draw, the heatmap's slice and cells, the texts and the scoreboard. The
//! web layer (`crate::web`) only translates calls and draws what this holds.
//!
//! [`Page`] is one struct (`page.rs`) whose methods are kept by what they do:
//! playing and seeking (`playback.rs`), training and adopting tables
//! (`training.rs`), the run played ahead (`lookahead.rs`), explaining
//! (`explain.rs`), and what is shown besides the canvases (`metrics.rs`).

pub mod heatmap;
pub mod history;
pub mod moments;
pub mod palette;
pub mod rule_sweep;
pub mod text;

mod exact_replay;
mod explain;
mod lookahead;
mod metrics;
mod page;
mod playback;
mod training;

pub use exact_replay::{ExactView, ExactWorld};
pub use explain::EXPLAIN_HORIZON;
pub use history::History;
pub use lookahead::{FrontierView, Lookahead};
pub use metrics::{Episodes, FitState, ForecastError, GridSize, Metrics, Now, TrainingProgress};
pub use moments::moment_heading;
pub use page::{Page, CSV_STEPS};
pub use playback::{Frame, FrameWork};
pub use training::TrainingPlace;
