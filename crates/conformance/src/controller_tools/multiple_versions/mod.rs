//! `VersionedResource` (testdata.kubebuilder.io, versions v1beta1 and v1beta2), from
//! controller-tools `pkg/crd/testdata/multiple_versions/{common.go,v1beta1,v1beta2}`.
//!
//! Both versions share the types of the parent package ([`OuterStruct`], [`InnerStruct`]);
//! `v1beta2` is the storage version. Go declares `+kubebuilder:subresource:status` on kinds
//! without a `Status` field; kube declares the status subresource only together with a
//! `status` field, so each version has an empty status struct and the test leaves the
//! `status` property out of the comparison.

pub mod v1beta1;
pub mod v1beta2;

use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct InnerStruct {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foo: Option<String>,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct OuterStruct {
    /// +structType=atomic
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#struct: Option<InnerStruct>,
}
