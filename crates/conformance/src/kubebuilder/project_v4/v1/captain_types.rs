//! `Captain` (crew.testproject.org/v1), from `kubebuilder testdata/project-v4/api/v1/captain_types.go`.

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!

/// CaptainSpec defines the desired state of Captain
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "crew.testproject.org",
    version = "v1",
    kind = "Captain",
    namespaced,
    status = "CaptainStatus",
    doc = "Captain is the Schema for the captains API"
)]
#[crd(
    spec_description = "spec defines the desired state of Captain",
    status_description = "status defines the observed state of Captain"
)]
#[serde(rename_all = "camelCase")]
pub struct CaptainSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    /// foo is an example field of Captain. Edit captain_types.go to remove/update
    /// +optional
    pub foo: Option<String>,
}

/// CaptainStatus defines the observed state of Captain.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct CaptainStatus {
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    // (Kubernetes API conventions: "typical status properties").
    /// conditions represent the current state of the Captain resource.
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
