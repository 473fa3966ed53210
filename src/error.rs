//! The core's one error type. Every message is for the user to act on; the page
//! and the CLI each turn it into their own form once (a JS `Error` that also names
//! the offending fields, so the page can mark them; a line on stderr and an exit
//! code).

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// Scenario fields out of their allowed ranges, each with its value and range;
    /// `context` says where the scenario came from ("the link's scenario"), or is
    /// empty.
    Fields { context: String, errors: ScenarioError },
    /// Text that is not a scenario: JSON syntax, a wrong type, an unknown key, an
    /// override that is not `key=value`.
    ScenarioText(String),
    /// A replay file: its name and every problem found, with line numbers.
    ReplayFile(String),
    /// A capacity schedule file, with the line of its first problem.
    Schedule(String),
    /// A share link that cannot be read.
    Link(String),
    /// A Q-table that is not one, or does not fit the scenario.
    QTable(String),
    /// A training state that does not fit this scenario or is inconsistent.
    Training(String),
    /// A request about the run that it cannot answer (a step outside it, a world
    /// it lacks).
    Run(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The scenario fields this error is about (dotted paths), for the page to mark.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Error::Fields { errors, .. } => {
                errors.0.iter().map(|f: &FieldError| f.field.as_str()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The same error with `context` before its message ("the link's scenario: ...").
    pub fn context(mut self, context: &str) -> Error {
        let message = match &mut self {
            Error::Fields { context: m, .. } if m.is_empty() => {
                *m = context.to_string();
                return self;
            }
            Error::Fields { context: m, .. }
            | Error::ScenarioText(m)
            | Error::ReplayFile(m)
            | Error::Schedule(m)
            | Error::Link(m)
            | Error::QTable(m)
            | Error::Training(m)
            | Error::Run(m) => m,
        };
        message.insert_str(0, &format!("{context}: "));
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Fields { context, errors } if context.is_empty() => errors.fmt(f),
            Error::Fields { context, errors } => write!(f, "{context}: {errors}"),
            Error::ScenarioText(m)
            | Error::ReplayFile(m)
            | Error::Schedule(m)
            | Error::Link(m)
            | Error::QTable(m)
            | Error::Training(m)
            | Error::Run(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl From<ScenarioError> for Error {
    fn from(e: ScenarioError) -> Error {
        Error::Fields { context: String::new(), errors: e }
    }
}

/// One problem with one field: its dotted name, the value given and what is allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub value: String,
    pub allowed: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.field, self.allowed)
        } else {
            write!(f, "{} = {}: {}", self.field, self.value, self.allowed)
        }
    }
}

/// Every problem found in a scenario at once.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError(pub Vec<FieldError>);

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(|e| e.to_string()).collect();
        write!(f, "invalid scenario:\n  {}", lines.join("\n  "))
    }
}

impl std::error::Error for ScenarioError {}
