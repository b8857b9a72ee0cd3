//! `Admiral` (crew.testproject.org/v1), from `kubebuilder testdata/project-v4/api/v1/admiral_types.go`.

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!

/// AdmiralSpec defines the desired state of Admiral
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "crew.testproject.org",
    version = "v1",
    kind = "Admiral",
    plural = "admirales",
    status = "AdmiralStatus",
    doc = "Admiral is the Schema for the admirales API"
)]
#[crd(
    spec_description = "spec defines the desired state of Admiral",
    status_description = "status defines the observed state of Admiral"
)]
#[serde(rename_all = "camelCase")]
pub struct AdmiralSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    /// foo is an example field of Admiral. Edit admiral_types.go to remove/update
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foo: Option<String>,
}

/// AdmiralStatus defines the observed state of Admiral.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct AdmiralStatus {
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    // (Kubernetes API conventions: "typical status properties").
    /// conditions represent the current state of the Admiral resource.
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
