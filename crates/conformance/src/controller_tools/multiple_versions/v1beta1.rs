//! `VersionedResource` v1beta1, from controller-tools `pkg/crd/testdata/multiple_versions/v1beta1/types.go`.

use kubeforge::prelude::*;

use super::OuterStruct;

#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "testdata.kubebuilder.io",
    version = "v1beta1",
    kind = "VersionedResource",
    namespaced,
    singular = "versionedresource",
    status = "VersionedResourceStatus"
)]
#[serde(rename_all = "camelCase")]
pub struct VersionedResourceSpec {
    #[serde(default, rename = "struct", skip_serializing_if = "Option::is_none")]
    pub outer: Option<OuterStruct>,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
pub struct VersionedResourceStatus {}
