//! `Zoo` (bar.example.com/zoo), from controller-tools `pkg/crd/testdata/gen/zoo/zoo_types.go`.
//!
//! Same shape as [`super::gen_foo`], written with verbatim controller-gen markers in the doc
//! comment instead of `#[crd(...)]`. As for `Foo`, Go declares no status subresource.

use kubeforge::prelude::*;

#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "bar.example.com",
    version = "zoo",
    kind = "Zoo",
    namespaced,
    status = "ZooStatus"
)]
#[crd(
    spec_optional,
    spec_description = "Spec comments SHOULD appear in the CRD spec",
    status_description = "Status comments SHOULD appear in the CRD spec"
)]
#[serde(rename_all = "camelCase")]
pub struct ZooSpec {
    /// This tests that defaulted fields are stripped for v1beta1,
    /// but not for v1
    /// +kubebuilder:default=zooDefaultString
    /// +kubebuilder:example=zooExampleString
    pub defaulted_string: String,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
pub struct ZooStatus {}
