//! API version v1alpha1.

mod foo_types;
pub use foo_types::*;
// +kubeforge:scaffold:kinds
