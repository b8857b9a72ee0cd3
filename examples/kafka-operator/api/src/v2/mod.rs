//! API version v2.

mod hwfka_types;
pub use hwfka_types::*;
mod hwfka_conversion;
// +kubeforge:scaffold:kinds
