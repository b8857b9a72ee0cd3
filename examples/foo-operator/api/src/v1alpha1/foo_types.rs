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
    printcolumn(name = "Happy", type = "boolean", json_path = ".status.happy"),
    spec_description = "spec defines the desired state of Foo",
    status_description = "status defines the observed state of Foo"
)]
#[serde(rename_all = "camelCase")]
pub struct FooSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    // Validate fields with `#[crd(...)]` markers (minimum, pattern, default, ...: see the
    // documentation of kubeforge's `CrdSchema`) or controller-gen's markers in doc comments.
    /// name is the name of the Pod, in the Foo's namespace, that makes this Foo happy.
    /// It must be a valid Pod name (a DNS-1123 subdomain).
    #[crd(
        min_length = 1,
        max_length = 253,
        pattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
    )]
    pub name: String,
}

/// FooStatus defines the observed state of Foo.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FooStatus {
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    /// happy is true when the Pod named by spec.name exists in the Foo's namespace.
    #[serde(default)]
    pub happy: bool,

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
