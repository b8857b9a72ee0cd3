//! kafka-operator: its controllers (and webhooks) as a library, for `src/main.rs`, the tests
//! and your own tools.

pub mod controller;
pub mod webhook;
// +kubeforge:scaffold:modules
