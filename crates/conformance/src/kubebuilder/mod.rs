//! The kubebuilder conformance APIs: Rust ports of the Go API packages whose `controller-gen`
//! output kubebuilder commits as test data (see `fixtures/kubebuilder/`).
//!
//! Every spec struct here is a CRD version root, so linking this module registers all of these
//! CRDs with `kubeforge::crds()`. A group/kind is defined once even when several upstream
//! projects generate it (the generated CRDs are identical): the same Rust type serves every
//! fixture file of that CRD.

pub mod getting_started;
pub mod project_v4;
pub mod project_v4_multigroup;
pub mod project_v4_with_plugins;
