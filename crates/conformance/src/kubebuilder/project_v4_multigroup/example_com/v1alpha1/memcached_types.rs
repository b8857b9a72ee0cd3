//! `Memcached` (example.com.testproject.org/v1alpha1), from `kubebuilder
//! testdata/project-v4-multigroup/api/example.com/v1alpha1/memcached_types.go` (deploy-image plugin
//! with `--image-container-port`). `testdata/project-v4-with-plugins` generates the same CRD from
//! the same Go type.

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!

/// MemcachedSpec defines the desired state of Memcached
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "example.com.testproject.org",
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
    // The following markers will use OpenAPI v3 schema to validate the value.
    /// size defines the number of Memcached instances
    #[crd(default = 1, minimum = 0)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i32>,

    /// containerPort defines the port that will be used to init the container with the image
    #[crd(required)]
    pub container_port: i32,
}

/// MemcachedStatus defines the observed state of Memcached
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct MemcachedStatus {
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
    #[crd(list_type = "map", list_map_keys = ["type"], optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Vec<Condition>>,
}
