//! `Foo` (bar.example.com/foo), from controller-tools `pkg/crd/testdata/gen/foo_types.go`.
//!
//! The package has no `+versionName`, so the version is the package name, `foo`. The same
//! types also produce the `maxDescLen` fixture (generator option `crd:maxDescLen=50`).
//!
//! Go's `Foo` has a `Status` field but no `+kubebuilder:subresource:status`; kube's
//! `#[kube(status)]` always declares the status subresource, so the test leaves
//! `subresources` out of the comparison.

use kubeforge::prelude::*;

#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "bar.example.com",
    version = "foo",
    kind = "Foo",
    namespaced,
    status = "FooStatus"
)]
#[crd(
    spec_optional,
    spec_description = "Spec comments SHOULD appear in the CRD spec",
    status_description = "Status comments SHOULD appear in the CRD spec"
)]
#[serde(rename_all = "camelCase")]
pub struct FooSpec {
    /// This tests that defaulted fields are stripped for v1beta1,
    /// but not for v1
    #[crd(default = "fooDefaultString", example = "fooExampleString")]
    pub defaulted_string: String,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
pub struct FooStatus {}
