//! `Kraken` (sea-creatures.testproject.org/v1beta1), from `kubebuilder testdata/project-v4-multigroup/api/sea-creatures/v1beta1/kraken_types.go`.

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!

/// KrakenSpec defines the desired state of Kraken
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "sea-creatures.testproject.org",
    version = "v1beta1",
    kind = "Kraken",
    namespaced,
    status = "KrakenStatus",
    doc = "Kraken is the Schema for the krakens API"
)]
#[crd(
    spec_description = "spec defines the desired state of Kraken",
    status_description = "status defines the observed state of Kraken"
)]
#[serde(rename_all = "camelCase")]
pub struct KrakenSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    /// foo is an example field of Kraken. Edit kraken_types.go to remove/update
    /// +optional
    pub foo: Option<String>,
}

/// KrakenStatus defines the observed state of Kraken.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct KrakenStatus {
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    // (Kubernetes API conventions: "typical status properties").
    /// conditions represent the current state of the Kraken resource.
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
