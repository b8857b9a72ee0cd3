//! The API types of foo-operator, one module per API version (kubebuilder's `api/`).
//!
//! Only API types live in this crate, so that `cargo xtask generate crds` compiles little.
//! Each spec struct with `#[derive(CustomResource, CrdSchema)]` registers its CRD version
//! with kubeforge when this crate is linked; `kubeforge::crds()` returns the CRDs.

// API version v1alpha1.
pub mod v1alpha1;
// +kubeforge:scaffold:modules
