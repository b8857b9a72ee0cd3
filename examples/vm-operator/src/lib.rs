//! vm-operator: the parts of the manager as a library, so that unit tests, tests/ and
//! your own tools can use them. `src/main.rs` puts them together.

pub mod controller;
pub mod hypervisor;
pub mod leader;
pub mod metrics;
pub mod server;
// +kubeforge:scaffold:modules
