//! The controllers of foo-operator, one module per reconciled kind, and the state they share.

// The Foo controller.
pub mod foo_controller;
// +kubeforge:scaffold:controller-modules

/// What every reconcile function finds in its context besides the client, recorder, metrics
/// and backoff: put drivers, caches and settings here (`ctx.field` reads them).
#[derive(Debug, Default)]
pub struct State {}

/// The context of this project's reconcile functions.
pub type Context = kubeforge_runtime::Context<State>;
