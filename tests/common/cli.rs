//! The built `autoscale-playground` binary run as a user runs it, what it
//! printed read as text, and the temporary files its commands read and write.
//! The command-line tests of every binary do this; here is how, once.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The built command-line binary.
pub const BIN: &str = env!("CARGO_BIN_EXE_autoscale-playground");

/// Runs the binary with `args` to its end.
pub fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("the binary runs")
}

/// Runs the binary with `args`, its stdin a pipe held open (a read of it would
/// wait forever), and fails if it has not ended within `limit`: what must be
/// refused at once must not block, nor start a long run.
pub fn run_within(args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let started = Instant::now();
    while child.try_wait().expect("the child can be waited for").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let o = child.wait_with_output().expect("the killed child is reaped");
            panic!("{args:?} still ran after {limit:?}; stderr: {}", stderr(&o));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("the child's output")
}

/// Printed bytes as text (a byte that is not UTF-8 shown as a replacement).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn stdout(o: &Output) -> String {
    text(&o.stdout)
}

pub fn stderr(o: &Output) -> String {
    text(&o.stderr)
}

/// Exit status 0, or a failure that shows what the binary said.
pub fn assert_success(o: &Output) {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(o));
}

/// A path in the temp dir unique to this test process. The tests of a binary
/// run at once in one process: each names its files apart.
pub fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("autoscale-test-{}-{name}", std::process::id()))
}

/// A file at [`temp_path`], removed on drop.
pub struct TempFile(pub PathBuf);

impl TempFile {
    pub fn new(name: &str) -> TempFile {
        TempFile(temp_path(name))
    }

    /// The file, written with `text`.
    pub fn with(name: &str, text: &str) -> TempFile {
        let f = TempFile::new(name);
        std::fs::write(&f.0, text).expect("temp file is writable");
        f
    }

    /// The path as a command-line argument.
    pub fn arg(&self) -> &str {
        self.0.to_str().expect("temp path is UTF-8")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
