//! foo-operator: its controllers (and webhooks) as a library, for `src/main.rs`, the tests
//! and your own tools.

pub mod controller;
// +kubeforge:scaffold:modules
