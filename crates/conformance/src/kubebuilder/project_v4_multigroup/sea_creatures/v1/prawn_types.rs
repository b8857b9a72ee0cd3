//! `Prawn` (sea-creatures.testproject.org/v1), from `kubebuilder testdata/project-v4-multigroup/api/sea-creatures/v1/prawn_types.go`.

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!

/// PrawnSpec defines the desired state of Prawn
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "sea-creatures.testproject.org",
    version = "v1",
    kind = "Prawn",
    namespaced,
    status = "PrawnStatus",
    doc = "Prawn is the Schema for the prawns API"
)]
#[crd(
    spec_description = "spec defines the desired state of Prawn",
    status_description = "status defines the observed state of Prawn"
)]
#[serde(rename_all = "camelCase")]
pub struct PrawnSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    /// foo is an example field of Prawn. Edit prawn_types.go to remove/update
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foo: Option<String>,
}

/// PrawnStatus defines the observed state of Prawn.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct PrawnStatus {
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    // (Kubernetes API conventions: "typical status properties").
    /// conditions represent the current state of the Prawn resource.
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
