//! Where the commands' output goes: stdout that may close early (`| head`),
//! stderr that may be gone, and the files of `--out`. Kept apart so that every
//! command fails the same way on a write.

use super::Failure;
use autoscale_playground::StepReport;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes `text` to stdout. `print!` panics when the reader has gone; this
/// reports it as [`Failure::Closed`].
pub fn print_out(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| written("standard output", e))
}

/// A line on stderr; a closed stderr is ignored (`eprintln!` would panic).
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The failure of a write to `what`.
fn written(what: &str, e: std::io::Error) -> Failure {
    match e.kind() {
        std::io::ErrorKind::BrokenPipe => Failure::Closed,
        _ => Failure::Io(format!("cannot write {what}: {e}")),
    }
}

/// The per-step CSV, written as the run goes.
pub struct CsvOut {
    path: PathBuf,
    writer: BufWriter<File>,
}

impl CsvOut {
    pub fn create(path: &Path) -> Result<CsvOut, Failure> {
        let mut out = CsvOut::open(path)?;
        out.line(StepReport::CSV_HEADER)?;
        Ok(out)
    }

    /// An empty file, for text written whole (`text`).
    pub fn open(path: &Path) -> Result<CsvOut, Failure> {
        let file = File::create(path)
            .map_err(|e| Failure::Io(format!("cannot write '{}': {e}", path.display())))?;
        Ok(CsvOut { path: path.to_owned(), writer: BufWriter::new(file) })
    }

    pub fn row(&mut self, report: &StepReport) -> Result<(), Failure> {
        self.line(&report.csv_row())
    }

    fn line(&mut self, text: &str) -> Result<(), Failure> {
        writeln!(self.writer, "{text}").map_err(|e| self.failure(e))
    }

    pub fn text(&mut self, text: &str) -> Result<(), Failure> {
        self.writer.write_all(text.as_bytes()).map_err(|e| self.failure(e))
    }

    pub fn finish(mut self) -> Result<(), Failure> {
        self.writer.flush().map_err(|e| self.failure(e))
    }

    fn failure(&self, e: std::io::Error) -> Failure {
        written(&format!("'{}'", self.path.display()), e)
    }
}
