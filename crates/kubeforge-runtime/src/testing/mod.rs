//! Test support for controllers (feature `testing`, for dev-dependencies):
//!
//! - [`ApiServer`]: a mocked API server (tower-test) that a unit test plays request by
//!   request, checking what the controller sends and answering what the test wants;
//! - [`envtest::Environment`]: a real etcd and kube-apiserver, as controller-runtime's envtest
//!   starts them, for tests that need the API server's own behaviour.

mod mock;

pub mod envtest;

pub use mock::{ApiServer, Request, context, serve_while, status};
