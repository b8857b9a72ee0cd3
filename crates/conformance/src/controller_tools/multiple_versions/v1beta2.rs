//! `VersionedResource` v1beta2, from controller-tools `pkg/crd/testdata/multiple_versions/v1beta2/types.go`. It is the storage version.

use kubeforge::prelude::*;

use super::OuterStruct;

#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "testdata.kubebuilder.io",
    version = "v1beta2",
    kind = "VersionedResource",
    namespaced,
    singular = "versionedresource",
    status = "VersionedResourceStatus"
)]
#[crd(storage_version)]
#[serde(rename_all = "camelCase")]
pub struct VersionedResourceSpec {
    #[serde(default, rename = "struct", skip_serializing_if = "Option::is_none")]
    pub outer: Option<OuterStruct>,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
pub struct VersionedResourceStatus {}
