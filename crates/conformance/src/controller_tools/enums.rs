//! `Enum` (testdata.kubebuilder.io/v1), from controller-tools `pkg/crd/testdata/enum/api.go`.
//!
//! Go declares `type EnumType string` with `+k8s:enum` and two typed constants; the Rust
//! equivalent is a unit-only enum, which `CrdSchema` turns into a string enum.

use kubeforge::prelude::*;

// No doc comment here on purpose: Go's `EnumType` has none, and a type's doc would become the
// description of every field of that type that has no doc of its own.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnumType {
    Value1,
    Value2,
}

/// EnumSpec defines the desired state of Enum
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "testdata.kubebuilder.io",
    version = "v1",
    kind = "Enum",
    namespaced,
    doc = "Enum is a test CRD that contains an enum."
)]
#[crd(spec_optional)]
#[serde(rename_all = "camelCase")]
pub struct EnumSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<EnumType>,
}
