//! `Navigator` (crew.testproject.org/v1), from `kubebuilder testdata/project-v4/api/v1/navigator_types.go`.

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!

/// NavigatorSpec defines the desired state of Navigator
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "crew.testproject.org",
    version = "v1",
    kind = "Navigator",
    namespaced,
    status = "NavigatorStatus",
    doc = "Navigator is the Schema for the navigators API"
)]
#[crd(
    spec_description = "spec defines the desired state of Navigator",
    status_description = "status defines the observed state of Navigator"
)]
#[serde(rename_all = "camelCase")]
pub struct NavigatorSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    /// foo is an example field of Navigator. Edit navigator_types.go to remove/update
    /// +optional
    pub foo: Option<String>,
}

/// NavigatorStatus defines the observed state of Navigator.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct NavigatorStatus {
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    // (Kubernetes API conventions: "typical status properties").
    /// conditions represent the current state of the Navigator resource.
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
