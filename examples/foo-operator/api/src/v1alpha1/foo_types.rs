//! `Foo` (samplecontroller.example.com/v1alpha1): the kubebuilder types scaffold.

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!
// NOTE: run `cargo xtask generate manifests` to regenerate the CRD after editing this file.

/// FooSpec defines the desired state of Foo
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[kube(
    group = "samplecontroller.example.com",
    version = "v1alpha1",
    kind = "Foo",
    plural = "foos",
    namespaced,
    status = "FooStatus",
    doc = "Foo is the Schema for the foos API"
)]
#[crd(
    storage_version,
    spec_description = "spec defines the desired state of Foo",
    status_description = "status defines the observed state of Foo"
)]
#[serde(rename_all = "camelCase")]
pub struct FooSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    // Validate fields with `#[crd(...)]` markers (minimum, pattern, default, ...: see the
    // documentation of kubeforge's `CrdSchema`) or controller-gen's markers in doc comments.
    /// foo is an example field of Foo. Edit foo_types.rs to remove/update
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foo: Option<String>,
}

/// FooStatus defines the observed state of Foo.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FooStatus {
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    /// conditions represent the current state of the Foo resource.
    /// Each condition has a unique type and reflects the status of a specific aspect of the resource.
    ///
    /// Standard condition types include:
    /// - "Available": the resource is fully functional
    /// - "Progressing": the resource is being created or updated
    /// - "Degraded": the resource failed to reach or maintain its desired state
    ///
    /// The status of each condition is one of True, False, or Unknown.
    #[crd(list_type = "map", list_map_keys = ["type"])]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}
