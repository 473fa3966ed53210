//! The page's view-model (`view::Page`), natively: its frames, what it takes in,
//! its verdict and lookahead, its forensics, the run's moments, and the share
//! links that carry a page's scenario and view.
//!
//! One test binary for the page's logic (the browser binding's own tests run in
//! Chromium: `tests/wasm_api.rs`); each subject is a module, and `util` builds
//! the pages they share.

#[path = "../common/mod.rs"]
mod common;

mod exact_replay;
mod forensics;
mod frames;
mod link;
mod link_refusals;
mod loading;
mod moments;
mod mutants_link;
mod mutants_moments;
mod mutants_view;
mod util;
mod verdict;
