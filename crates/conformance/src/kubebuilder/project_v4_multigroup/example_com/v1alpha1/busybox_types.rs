//! `Busybox` (example.com.testproject.org/v1alpha1), from `kubebuilder
//! testdata/project-v4-multigroup/api/example.com/v1alpha1/busybox_types.go` (deploy-image plugin).
//! `testdata/project-v4-with-plugins` generates the same CRD from the same Go type.

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!

/// BusyboxSpec defines the desired state of Busybox
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "example.com.testproject.org",
    version = "v1alpha1",
    kind = "Busybox",
    namespaced,
    status = "BusyboxStatus",
    doc = "Busybox is the Schema for the busyboxes API"
)]
#[crd(
    spec_description = "spec defines the desired state of Busybox",
    status_description = "status defines the observed state of Busybox"
)]
#[serde(rename_all = "camelCase")]
pub struct BusyboxSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    // The following markers will use OpenAPI v3 schema to validate the value.
    /// size defines the number of Busybox instances
    /// +kubebuilder:default=1
    /// +kubebuilder:validation:Minimum=0
    /// +optional
    pub size: Option<i32>,
}

/// BusyboxStatus defines the observed state of Busybox
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct BusyboxStatus {
    // (Kubernetes API conventions: "typical status properties").
    /// conditions represent the current state of the Busybox resource.
    /// Each condition has a unique type and reflects the status of a specific aspect of the resource.
    ///
    /// Standard condition types include:
    /// - "Available": the resource is fully functional
    /// - "Progressing": the resource is being created or updated
    /// - "Degraded": the resource failed to reach or maintain its desired state
    ///
    /// The status of each condition is one of True, False, or Unknown.
    /// +listType=map
    /// +listMapKey=type
    /// +optional
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}
