//! `TestQuota` (plural.example.com/v1), from controller-tools `pkg/crd/testdata/plural/types.go`.
//!
//! The Go kind has no `spec`: its one field sits at the root of the object. kube's
//! `#[kube(no_spec)]` expresses exactly that (the derived struct is flattened onto the root).
//! The kind has no doc comment, so the root has no description.

use kubeforge::prelude::*;

#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "plural.example.com",
    version = "v1",
    kind = "TestQuota",
    namespaced,
    no_spec
)]
#[serde(rename_all = "camelCase")]
pub struct TestQuotaFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<String>,
}
