//! Shared by the native test binaries (`tests/*/main.rs`, and a bench reads the
//! traces through it): where the real traces are (here), the built CLI run as a
//! user runs it (`cli`), and the demand that steps up once (`rise`). The one
//! place that says where the traces are: repoint `traces_dir` when they move.
// Each binary uses a part of it.
#![allow(dead_code)]

pub mod cli;
pub mod rise;

use std::path::{Path, PathBuf};

/// The folder of the real traces, shipped in the repository: `traces/`.
pub fn traces_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("traces")
}

/// The Azure LLM inference traces (2023): a folder that must exist. A test that
/// needs it fails, with the path it looked at, when it does not.
pub fn azure_dir() -> PathBuf {
    let dir = traces_dir().join("azure-llm-2023");
    assert!(
        dir.is_dir(),
        "the Azure traces are missing: {} is not a folder (the tests that need them fail rather than pass unchecked)",
        dir.display()
    );
    dir
}

/// The path of an Azure trace file, which must be there.
pub fn azure_file(name: &str) -> PathBuf {
    let path = azure_dir().join(name);
    assert!(path.is_file(), "the Azure trace {} is missing", path.display());
    path
}

/// The text of an Azure trace file; fails with the path and the reason when it
/// cannot be read.
pub fn read_azure(name: &str) -> String {
    let path = azure_file(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the Azure trace {}: {e}", path.display()))
}
