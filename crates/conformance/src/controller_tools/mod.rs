//! Rust ports of the controller-tools CRD generator golden tests (`pkg/crd/testdata` upstream).
//!
//! One module per fixture; each mirrors the Go package that produced the fixture, written the
//! way a Rust user would write the same API with kube's `CustomResource` and Kubeforge's
//! `CrdSchema`. The fixtures live in `fixtures/controller-tools/` and are compared in
//! `tests/controller_tools.rs`.

pub mod enums;
pub mod external_docs;
pub mod gen_foo;
pub mod gen_zoo;
pub mod immutable;
pub mod job;
pub mod multiple_versions;
pub mod oneof;
pub mod plural;
