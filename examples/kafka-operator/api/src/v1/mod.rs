//! API version v1.

mod hwfka_types;
pub use hwfka_types::*;
// +kubeforge:scaffold:kinds
