use std::path::PathBuf;

/// Errors a user can fix; each names the flag or file and the rule broken.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{flag} {value:?} {rule}")]
    InvalidFlag {
        flag: String,
        value: String,
        rule: String,
    },
    #[error("{0} is not a Kubeforge project (no PROJECT file); run `scaffold init` first")]
    NotAProject(PathBuf),
    #[error(
        "{0} already holds a Kubeforge project (PROJECT exists); `scaffold init` refuses to overwrite it"
    )]
    AlreadyAProject(PathBuf),
    #[error("{path}: PROJECT is not valid: {reason}")]
    BadProject { path: PathBuf, reason: String },
    #[error("{group}/{version} {kind} already exists in PROJECT; use --force to scaffold it again")]
    DuplicateResource {
        group: String,
        version: String,
        kind: String,
    },
    #[error("these files exist and would be overwritten: {}; use --force to overwrite generated files", .0.join(", "))]
    WouldOverwrite(Vec<String>),
    #[error("--check: these files are not what this command generates: {}; run it without --check to regenerate them", .0.join(", "))]
    OutOfDate(Vec<String>),
    #[error("{path}: marker `{marker}` not found; restore it to let scaffold insert code there")]
    MissingMarker { path: String, marker: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl CliError {
    /// `flag value rule`: a flag (or PROJECT key) whose value breaks `rule`.
    pub fn invalid(flag: &str, value: &str, rule: impl Into<String>) -> CliError {
        CliError::InvalidFlag {
            flag: flag.to_owned(),
            value: value.to_owned(),
            rule: rule.into(),
        }
    }
}
