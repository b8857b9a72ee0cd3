//! `ImmutableType` (testdata.kubebuilder.io/v1), from controller-tools
//! `pkg/crd/testdata/immutable/types.go` (`+k8s:immutable` on required and optional fields).
//!
//! Go's optional fields come in two flavours, mirrored here: pointers (`*string`,
//! `*NestedStruct`) become `Option<T>`, and `omitempty`/`omitzero` values become
//! `#[serde(default, skip_serializing_if = ...)]` fields.

use std::collections::BTreeMap;

use kubeforge::prelude::*;

fn is_zero<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "testdata.kubebuilder.io",
    version = "v1",
    kind = "ImmutableType",
    namespaced
)]
#[serde(rename_all = "camelCase")]
pub struct ImmutableSpec {
    /// +k8s:immutable
    pub required_string: String,

    /// +k8s:immutable
    /// +optional
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_string: Option<String>,

    #[crd(immutable)]
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub optional_literal_string: String,

    #[crd(immutable)]
    pub required_struct: NestedStruct,

    #[crd(immutable)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_struct: Option<NestedStruct>,

    #[crd(immutable, optional)]
    #[serde(default, skip_serializing_if = "is_zero")]
    pub optional_omit_zero_struct: NestedStruct,

    #[crd(immutable)]
    pub required_slice: Vec<String>,

    #[crd(immutable)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub optional_slice: Vec<String>,

    #[crd(immutable)]
    pub required_map: BTreeMap<String, String>,

    #[crd(immutable)]
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub optional_map: BTreeMap<String, String>,

    pub mutable_string: String,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct NestedStruct {
    pub key: String,
    pub value: String,
}
