use std::path::PathBuf;

/// Everything that can go wrong turning registered types into CRDs.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "CRD {kind}.{group} has versions {versions} but none is marked `storage_version`; mark exactly one with #[crd(storage_version)]"
    )]
    NoStorageVersion {
        group: String,
        kind: String,
        versions: String,
    },
    #[error(
        "CRD {kind}.{group}: versions {marked} are all marked `storage_version`; exactly one version may be the storage version"
    )]
    ManyStorageVersions {
        group: String,
        kind: String,
        marked: String,
    },
    #[error("CRD {kind}.{group}: every version is marked `skip`")]
    AllSkipped { group: String, kind: String },
    #[error("CRD {kind}.{group}: no version is served")]
    NoneServed { group: String, kind: String },
    #[error("CRD {kind}.{group}: version {version} is defined twice, by {first} and {second}")]
    DuplicateVersion {
        group: String,
        kind: String,
        version: String,
        first: String,
        second: String,
    },
    #[error("{} CRDs failed to generate (the others were generated):\n{}", .0.len(), .0.iter().map(|e| format!("  - {e}")).collect::<Vec<_>>().join("\n"))]
    Kinds(Vec<Error>),
    #[error("CRD {kind}.{group}: versions {first} and {second} disagree on {what}")]
    Inconsistent {
        group: String,
        kind: String,
        what: String,
        first: String,
        second: String,
    },
    #[error("{source_type}: {path}: {message}")]
    InvalidMarker {
        source_type: String,
        path: String,
        message: String,
    },
    #[error("{source_type}: invalid version marker JSON: {message}")]
    InvalidRegistration {
        source_type: String,
        message: String,
    },
    #[error("CRD {name} would be rejected by the apiserver:\n{violations}")]
    NotStructural { name: String, violations: String },
    #[error("CRD {name}: {source}")]
    Convert {
        name: String,
        source: serde_json::Error,
    },
    #[error(transparent)]
    Yaml(#[from] crate::yaml::YamlError),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    /// The error of the kinds in `failed`: none, the one, or all of them.
    pub(crate) fn of_kinds(mut failed: Vec<Error>) -> Option<Error> {
        match failed.len() {
            0 => None,
            1 => failed.pop(),
            _ => Some(Error::Kinds(failed)),
        }
    }
}
