//! The Huawei OSC service package: `metadata.yaml`, `manifests/<kind>_crd.yaml` and
//! `<kind>_csd.yaml`, `lifecycle.yaml`, `raw/` (the OLM bundle it was made from) and a README,
//! built in memory from an OLM bundle and checked against the marketplace's rules before anything
//! is written.

pub mod archive;
pub mod package;
pub mod rules;

use std::path::PathBuf;

/// Why a package cannot be built; each names the flag (or bundle file) and the rule.
#[derive(Debug, thiserror::Error)]
pub enum OscError {
    #[error("{flag} {value:?} {rule}")]
    Rule {
        flag: String,
        value: String,
        rule: String,
    },
    #[error("{file}: {field}: {message}")]
    Bundle {
        file: String,
        field: String,
        message: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {file}: {message}")]
    Write { file: String, message: String },
}
