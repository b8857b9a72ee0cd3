//! `Memcached` (cache.example.com/v1alpha1), from the kubebuilder book's getting-started tutorial
//! (`docs/book/src/getting-started/testdata/project/api/v1alpha1/memcached_types.go`).

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!

/// MemcachedSpec defines the desired state of Memcached
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "cache.example.com",
    version = "v1alpha1",
    kind = "Memcached",
    namespaced,
    status = "MemcachedStatus",
    doc = "Memcached is the Schema for the memcacheds API"
)]
#[crd(
    spec_description = "spec defines the desired state of Memcached",
    status_description = "status defines the observed state of Memcached"
)]
#[serde(rename_all = "camelCase")]
pub struct MemcachedSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster

    // The Go doc has a third line, a link to the book's CRD validation page; links stay out of
    // this source, so the test leaves this description out (see tests/kubebuilder.rs).
    /// size defines the number of Memcached instances
    /// The following markers will use OpenAPI v3 schema to validate the value
    /// +kubebuilder:validation:Minimum=1
    /// +kubebuilder:validation:Maximum=3
    /// +kubebuilder:validation:ExclusiveMaximum=false
    /// +optional
    pub size: Option<i32>,
}

/// MemcachedStatus defines the observed state of Memcached.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct MemcachedStatus {
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    // (Kubernetes API conventions: "typical status properties").
    /// conditions represent the current state of the Memcached resource.
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
