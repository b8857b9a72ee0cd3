//! `Frigate` (ship.testproject.org/v1beta1), from `kubebuilder testdata/project-v4-multigroup/api/ship/v1beta1/frigate_types.go`.

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!

/// FrigateSpec defines the desired state of Frigate
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "ship.testproject.org",
    version = "v1beta1",
    kind = "Frigate",
    namespaced,
    status = "FrigateStatus",
    doc = "Frigate is the Schema for the frigates API"
)]
#[crd(
    spec_description = "spec defines the desired state of Frigate",
    status_description = "status defines the observed state of Frigate"
)]
#[serde(rename_all = "camelCase")]
pub struct FrigateSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    /// foo is an example field of Frigate. Edit frigate_types.go to remove/update
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foo: Option<String>,
}

/// FrigateStatus defines the observed state of Frigate.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct FrigateStatus {
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    // (Kubernetes API conventions: "typical status properties").
    /// conditions represent the current state of the Frigate resource.
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
