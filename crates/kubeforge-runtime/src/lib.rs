//! The runtime of Kubeforge operators: what controller-runtime is to kubebuilder.
//!
//! A generated project holds its API types, its reconcile functions and its webhooks; this
//! crate holds the rest, so that an upgrade of Kubeforge reaches every project:
//!
//! - [`Manager`]: flags ([`ManagerArgs`], flattened into the project's own clap parser),
//!   logging, `/metrics`, `/healthz` and `/readyz`, Lease leader election, the webhook server
//!   (feature `webhook`), every controller on a task of its own, graceful shutdown.
//! - [`Context`]: what a reconcile function gets: client, event recorder, metrics, backoff,
//!   shutdown token and the project's own state.
//! - [`run_controller`]: runs a kube-runtime `Controller` with metrics, per-object
//!   exponential backoff and readiness once its watch has synced.
//! - [`conditions`]: status conditions as apimachinery's `meta.SetStatusCondition` sets them.
//! - `testing` (feature `testing`): a mocked API server for unit tests, and an envtest that
//!   starts a real etcd and kube-apiserver.
//!
//! ```no_run
//! use clap::Parser;
//! use kubeforge_runtime::{Manager, ManagerArgs};
//!
//! #[derive(Parser)]
//! struct Args {
//!     #[command(flatten)]
//!     manager: ManagerArgs,
//! }
//!
//! #[tokio::main]
//! async fn main() -> std::process::ExitCode {
//!     Manager::new("demo", Args::parse().manager)
//!         .leader_election_id("demo.my.domain")
//!         // .controller(my_operator::controller::memcached_controller::run)
//!         .run()
//!         .await
//! }
//! ```

mod args;
mod backoff;
pub mod conditions;
mod context;
mod controller;
mod error;
mod health;
mod leader;
mod logging;
mod manager;
pub mod metrics;
mod process;
mod scope;
mod signals;
#[cfg(feature = "testing")]
pub mod testing;

pub use args::{BindAddress, LogFormat, ManagerArgs};
pub use backoff::Backoff;
pub use context::Context;
pub use controller::{WatchOptions, controller_for, controller_with, run_controller};
pub use error::{Error, ManagerError, Result};
pub use health::Readiness;
pub use manager::Manager;
pub use metrics::Metrics;
pub use scope::ObjectScope;

/// What a controller file needs: `use kubeforge_runtime::prelude::*;`.
pub mod prelude {
    pub use crate::conditions::{self, AVAILABLE, DEGRADED, PROGRESSING};
    pub use crate::{
        Context, Error, Result, WatchOptions, controller_for, controller_with, run_controller,
    };
    pub use kube::runtime::controller::Action;
    pub use kube::runtime::events::{Event, EventType};
    pub use kube::runtime::finalizer::{Event as FinalizerEvent, finalizer};
    pub use kube::{Api, Resource, ResourceExt};
    pub use kubeforge::rbac;
    pub use std::sync::Arc;
}
