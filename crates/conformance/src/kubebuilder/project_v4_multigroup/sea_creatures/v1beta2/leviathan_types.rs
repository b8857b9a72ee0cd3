//! `Leviathan` (sea-creatures.testproject.org/v1beta2), from `kubebuilder testdata/project-v4-multigroup/api/sea-creatures/v1beta2/leviathan_types.go`.

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!

/// LeviathanSpec defines the desired state of Leviathan
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "sea-creatures.testproject.org",
    version = "v1beta2",
    kind = "Leviathan",
    namespaced,
    status = "LeviathanStatus",
    doc = "Leviathan is the Schema for the leviathans API"
)]
#[crd(
    spec_description = "spec defines the desired state of Leviathan",
    status_description = "status defines the observed state of Leviathan"
)]
#[serde(rename_all = "camelCase")]
pub struct LeviathanSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    /// foo is an example field of Leviathan. Edit leviathan_types.go to remove/update
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foo: Option<String>,
}

/// LeviathanStatus defines the observed state of Leviathan.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct LeviathanStatus {
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    // (Kubernetes API conventions: "typical status properties").
    /// conditions represent the current state of the Leviathan resource.
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
