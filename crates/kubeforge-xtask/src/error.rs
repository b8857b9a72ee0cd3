//! What a task fails with.

/// Why a task failed; each message names the fix.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("{program} failed ({status})")]
    Failed { program: String, status: String },
    #[error("out of date: {}; run `cargo xtask generate {task}`", .files.join(", "))]
    OutOfDate {
        files: Vec<String>,
        task: &'static str,
    },
    #[error("{0}")]
    Kubeforge(Box<kubeforge::Error>),
    #[error(
        "the manager is namespace-scoped (PROJECT: namespaced: true), but #[rbac] rules without `namespace` would go into the ClusterRole {role}, which its RoleBinding does not bind; add namespace = \"<the manager's namespace>\" to them, as `scaffold edit --namespaced` does (a non-resource `urls` rule cannot have one: a namespace-scoped manager cannot be granted it)"
    )]
    ClusterRoleInNamespacedProject { role: String },
    #[error("{what} is not UTF-8")]
    NotUtf8 { what: String },
}

pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
    let what = what.into();
    move |source| Error::Io { what, source }
}

impl From<kubeforge::Error> for Error {
    fn from(error: kubeforge::Error) -> Self {
        Error::Kubeforge(Box::new(error))
    }
}
