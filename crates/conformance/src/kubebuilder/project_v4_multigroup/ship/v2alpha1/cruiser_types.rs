//! `Cruiser` (ship.testproject.org/v2alpha1), from `kubebuilder testdata/project-v4-multigroup/api/ship/v2alpha1/cruiser_types.go`.

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!

/// CruiserSpec defines the desired state of Cruiser
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "ship.testproject.org",
    version = "v2alpha1",
    kind = "Cruiser",
    status = "CruiserStatus",
    doc = "Cruiser is the Schema for the cruisers API"
)]
#[crd(
    spec_description = "spec defines the desired state of Cruiser",
    status_description = "status defines the observed state of Cruiser"
)]
#[serde(rename_all = "camelCase")]
pub struct CruiserSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    /// foo is an example field of Cruiser. Edit cruiser_types.go to remove/update
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foo: Option<String>,
}

/// CruiserStatus defines the observed state of Cruiser.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct CruiserStatus {
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    // (Kubernetes API conventions: "typical status properties").
    /// conditions represent the current state of the Cruiser resource.
    /// Each condition has a unique type and reflects the status of a specific aspect of the resource.
    ///
    /// Standard condition types include:
    /// - "Available": the resource is fully functional
    /// - "Progressing": the resource is being created or updated
    /// - "Degraded": the resource failed to reach or maintain its desired state
    ///
    /// The status of each condition is one of True, False, or Unknown.
    #[crd(list_type = "map", list_map_keys = ["type"])]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Vec<Condition>>,
}
