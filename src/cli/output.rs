//! Where the commands' output goes: stdout that may close early (`| head`),
//! stderr that may be gone, and the files of `--out`, each replaced only once
//! written whole. Kept apart so that every command fails the same way on a
//! write.

use super::input::shown_path;
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

/// A file written whole or not at all: the text goes to a temporary file in the
/// same folder, renamed over the file named once it is complete, so that a run
/// interrupted or refused halfway leaves the file that was there intact. Only a
/// regular file (or none yet) is replaced so; anything else (`/dev/null`, a pipe
/// a reader waits on) is written to directly, as it holds no old content.
pub struct OutFile {
    /// The file named, as messages show it.
    shown: String,
    writer: BufWriter<File>,
    /// The temporary file and the file it replaces, until it is renamed.
    replacing: Option<(PathBuf, PathBuf)>,
}

impl OutFile {
    /// Opens `path` for writing (its temporary file, when it is replaced).
    pub fn create(path: &Path) -> Result<OutFile, Failure> {
        let shown = shown_path(path);
        let failed = |e: std::io::Error| Failure::Io(format!("cannot write '{shown}': {e}"));
        // Through a link to the file it names, so that the link stays one.
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        let old = std::fs::metadata(&target).ok();
        if old.as_ref().is_some_and(|m| !m.is_file()) {
            let file = File::create(&target).map_err(failed)?;
            return Ok(OutFile { shown, writer: BufWriter::new(file), replacing: None });
        }
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temp = target.with_file_name(format!(".{name}.{}.partial", std::process::id()));
        let file = File::create(&temp).map_err(failed)?;
        if let Some(old) = old {
            // The replacement keeps the old file's permissions.
            let _ = file.set_permissions(old.permissions());
        }
        Ok(OutFile { shown, writer: BufWriter::new(file), replacing: Some((temp, target)) })
    }

    pub fn write(&mut self, text: &str) -> Result<(), Failure> {
        self.writer.write_all(text.as_bytes()).map_err(|e| self.failure(e))
    }

    /// Flushes the text and puts the file in place.
    pub fn finish(mut self) -> Result<(), Failure> {
        self.writer.flush().map_err(|e| self.failure(e))?;
        if let Some((temp, target)) = self.replacing.take() {
            if let Err(e) = std::fs::rename(&temp, &target) {
                let _ = std::fs::remove_file(&temp);
                return Err(self.failure(e));
            }
        }
        Ok(())
    }

    fn failure(&self, e: std::io::Error) -> Failure {
        written(&format!("'{}'", self.shown), e)
    }
}

impl Drop for OutFile {
    /// A file not finished (an error on the way) is not put in place.
    fn drop(&mut self) {
        if let Some((temp, _)) = &self.replacing {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// The per-step CSV, written as the run goes.
pub struct CsvOut(OutFile);

impl CsvOut {
    pub fn create(path: &Path) -> Result<CsvOut, Failure> {
        let mut out = CsvOut::open(path)?;
        out.line(StepReport::CSV_HEADER)?;
        Ok(out)
    }

    /// An empty file, for text written whole (`text`).
    pub fn open(path: &Path) -> Result<CsvOut, Failure> {
        OutFile::create(path).map(CsvOut)
    }

    pub fn row(&mut self, report: &StepReport) -> Result<(), Failure> {
        self.line(&report.csv_row())
    }

    fn line(&mut self, text: &str) -> Result<(), Failure> {
        self.0.write(text)?;
        self.0.write("\n")
    }

    pub fn text(&mut self, text: &str) -> Result<(), Failure> {
        self.0.write(text)
    }

    pub fn finish(self) -> Result<(), Failure> {
        self.0.finish()
    }
}
