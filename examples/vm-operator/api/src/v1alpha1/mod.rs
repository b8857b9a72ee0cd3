//! API version v1alpha1.

mod virtual_machine_types;
pub use virtual_machine_types::*;
// +kubeforge:scaffold:kinds
