//! What reconciliations and the manager fail with.

use std::net::SocketAddr;
use std::path::PathBuf;

/// What a reconciliation can fail with. Errors of your own go in [`Error::other`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Kubernetes API request failed: {0}")]
    Kube(#[from] kube::Error),
    #[error(transparent)]
    Finalizer(#[from] Box<kube::runtime::finalizer::Error<Error>>),
    #[error(
        "{kind} is not served by the API server ({source}): is its CRD installed? (`cargo xtask install`)"
    )]
    NotInstalled { kind: String, source: kube::Error },
    #[error("invalid object: {0}")]
    InvalidObject(&'static str),
    #[error("{0}")]
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// An error of the project's own (a driver, an external API, ...).
    pub fn other(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Error::Other(error.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why the manager could not start, or stopped with a failure. Each message names what to fix.
#[derive(Debug, thiserror::Error)]
pub enum ManagerError {
    #[error(
        "no usable Kubernetes configuration ({0}): set KUBECONFIG to a valid kubeconfig, fix ~/.kube/config, or run in a pod"
    )]
    Config(String),
    #[error(
        "cannot reach the API server at {url} ({message}): check the cluster is up and the kubeconfig context points at it"
    )]
    Unreachable { url: String, message: String },
    #[error(
        "cannot bind the {what} address {address} ({source}): free the port or pass another {flag}"
    )]
    Bind {
        what: &'static str,
        flag: &'static str,
        address: SocketAddr,
        source: std::io::Error,
    },
    #[error("namespace {0:?} (--namespace) does not exist: create it or pass another one")]
    NoNamespace(String),
    #[error("cannot read namespace {namespace:?} (--namespace): {source}")]
    Namespace {
        namespace: String,
        source: kube::Error,
    },
    #[error("leader election (--leader-elect) on Lease {namespace}/{name}: {message}")]
    LeaderElection {
        namespace: String,
        name: String,
        message: String,
    },
    #[error(
        "the webhook server has no certificate: {} is missing. Mount the cert-manager secret there (config/default with [WEBHOOK] and [CERTMANAGER] enabled), put tls.crt and tls.key in it, or pass --webhook-cert-dir; to run without webhooks (e.g. `cargo xtask run` on your machine), set ENABLE_WEBHOOKS=false",
        .0.display()
    )]
    NoWebhookCertificate(PathBuf),
    #[error("{0}")]
    Print(#[from] kubeforge::Error),
    #[error("a server of the manager failed: {0}")]
    Server(String),
    #[error("a controller failed: {0}")]
    Controller(String),
    #[error(
        "lost leadership of Lease {0}; another replica took over or the Lease could not be renewed"
    )]
    LostLeadership(String),
}
