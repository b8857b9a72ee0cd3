//! API version v1alpha1.

mod memcached_types;
pub use memcached_types::*;
// +kubeforge:scaffold:kinds
