//! `Hwfka` (kafka.example.com/v2): the kubebuilder types scaffold.

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!
// NOTE: run `cargo xtask generate manifests` to regenerate the CRD after editing this file.

/// HwfkaSpec defines the desired state of Hwfka
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[kube(
    group = "kafka.example.com",
    version = "v2",
    kind = "Hwfka",
    plural = "hwfkas",
    namespaced,
    status = "HwfkaStatus",
    doc = "Hwfka is the Schema for the hwfkas API"
)]
#[crd(
    spec_description = "spec defines the desired state of Hwfka",
    status_description = "status defines the observed state of Hwfka"
)]
#[serde(rename_all = "camelCase")]
pub struct HwfkaSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    // Validate fields with `#[crd(...)]` markers (minimum, pattern, default, ...: see the
    // documentation of kubeforge's `CrdSchema`) or controller-gen's markers in doc comments.
    /// foo is an example field of Hwfka. Edit hwfka_types.rs to remove/update
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foo: Option<String>,
}

/// HwfkaStatus defines the observed state of Hwfka.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HwfkaStatus {
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    /// conditions represent the current state of the Hwfka resource.
    /// Each condition has a unique type and reflects the status of a specific aspect of the resource.
    ///
    /// Standard condition types include:
    /// - "Available": the resource is fully functional
    /// - "Progressing": the resource is being created or updated
    /// - "Degraded": the resource failed to reach or maintain its desired state
    ///
    /// The status of each condition is one of True, False, or Unknown.
    #[crd(list_type = "map", list_map_keys = ["type"])]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}
