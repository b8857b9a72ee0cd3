//! Rust ports of the Go APIs behind the CRDs in `fixtures/` (see fixtures/README.md for their
//! origin). Each module expresses one upstream API with Kubeforge markers; the tests check that
//! `kubeforge::crds()` reproduces the upstream CRD.

pub mod controller_tools;
pub mod kubebuilder;
