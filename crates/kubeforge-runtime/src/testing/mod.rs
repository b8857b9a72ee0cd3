//! Test support for controllers (feature `testing`, for dev-dependencies):
//!
//! - [`ApiServer`]: a mocked API server (tower-test) that a unit test plays request by
//!   request, checking what the controller sends and answering what the test wants;
//! - [`envtest::Environment`]: a real etcd and kube-apiserver, as controller-runtime's envtest
//!   starts them, for tests that need the API server's own behaviour;
//! - [`ManagerProcess`] and [`reconcile_all`]: the project's manager against such a cluster
//!   (or the kubeconfig's), reconciling every sample in config/samples.

mod mock;
mod process;
pub mod samples;
#[cfg(feature = "webhook")]
pub mod webhook;

pub mod envtest;

pub use http::Method;
pub use mock::{ApiServer, Request, context, serve_while, status};
pub use process::ManagerProcess;
pub use samples::{Expect, delete_namespace, install_crds, reconcile_all};

/// A free TCP port on loopback (free when asked: the process it is given to binds it next).
fn free_port() -> std::io::Result<u16> {
    let listener = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}
