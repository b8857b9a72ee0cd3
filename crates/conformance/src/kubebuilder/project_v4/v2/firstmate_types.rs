//! `FirstMate` (crew.testproject.org/v2), from `kubebuilder testdata/project-v4/api/v2/firstmate_types.go`.

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!

/// FirstMateSpec defines the desired state of FirstMate
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "crew.testproject.org",
    version = "v2",
    kind = "FirstMate",
    namespaced,
    status = "FirstMateStatus",
    doc = "FirstMate is the Schema for the firstmates API"
)]
#[crd(
    spec_description = "spec defines the desired state of FirstMate",
    status_description = "status defines the observed state of FirstMate"
)]
#[serde(rename_all = "camelCase")]
pub struct FirstMateSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    /// foo is an example field of FirstMate. Edit firstmate_types.go to remove/update
    /// +optional
    pub foo: Option<String>,
}

/// FirstMateStatus defines the observed state of FirstMate.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct FirstMateStatus {
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    // (Kubernetes API conventions: "typical status properties").
    /// conditions represent the current state of the FirstMate resource.
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
