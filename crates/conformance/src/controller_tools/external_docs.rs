//! `ExternalDoc` (testdata.kubebuilder.io/v1), from controller-tools
//! `pkg/crd/testdata/external_docs/types.go` (`+kubebuilder:externalDoc` on fields and types).
//!
//! The upstream markers point at a public web host. This repository keeps host names out of
//! its sources, so the URLs below are host-less placeholders and the test leaves the `url`
//! leaves out of the comparison; the description and placement of `externalDocs` are compared.

use kubeforge::prelude::*;

// Go's `type TypeWithExternalDoc string` becomes a newtype; the marker sits on the type and
// reaches every field of that type.
/// TypeWithExternalDoc is a type with external documentation.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[crd(external_docs(
    url = "urn:kubeforge:conformance:type-docs",
    description = "type-level external docs"
))]
pub struct TypeWithExternalDoc(pub String);

/// ExternalDocSpec defines the desired state of ExternalDoc
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "testdata.kubebuilder.io",
    version = "v1",
    kind = "ExternalDoc",
    namespaced,
    doc = "ExternalDoc is the Schema for the external docs API"
)]
#[crd(spec_optional)]
#[serde(rename_all = "camelCase")]
pub struct ExternalDocSpec {
    /// This tests that external documentation can be attached to a field with url and description.
    #[crd(external_docs(
        url = "urn:kubeforge:conformance:docs",
        description = "external docs description"
    ))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_with_external_doc: Option<String>,

    /// This tests that external documentation can be attached with only url.
    #[crd(external_docs(url = "urn:kubeforge:conformance:docs"))]
    #[serde(
        default,
        rename = "fieldWithExternalDocURLOnly",
        skip_serializing_if = "Option::is_none"
    )]
    pub field_with_external_doc_url_only: Option<String>,

    /// This tests that external documentation from a type is propagated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_with_external_doc: Option<TypeWithExternalDoc>,
}
