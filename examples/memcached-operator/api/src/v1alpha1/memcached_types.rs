//! `Memcached` (cache.example.com/v1alpha1): the deploy-image types
//! scaffold. Its controller runs `memcached:1.6.26-alpine` as a Deployment of `spec.size` pods.

use kubeforge::prelude::*;
use kubeforge::types::Condition;

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!
// NOTE: run `cargo xtask generate manifests` to regenerate the CRD after editing this file.

/// MemcachedSpec defines the desired state of Memcached
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "cache.example.com",
    version = "v1alpha1",
    kind = "Memcached",
    plural = "memcacheds",
    namespaced,
    status = "MemcachedStatus",
    doc = "Memcached is the Schema for the memcacheds API"
)]
#[crd(
    storage_version,
    spec_description = "spec defines the desired state of Memcached",
    status_description = "status defines the observed state of Memcached",
    // `kubectl scale memcached/NAME --replicas=N` sets spec.size.
    scale(
        spec_path = ".spec.size",
        status_path = ".status.replicas",
        selector_path = ".status.selector"
    ),
    printcolumn(name = "Size", type = "integer", json_path = ".spec.size"),
    printcolumn(name = "Ready", type = "integer", json_path = ".status.readyReplicas"),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
// clippy's duplicated_attributes lint takes the two `type = "integer"` columns for a mistake.
#[allow(clippy::duplicated_attributes)]
#[csv(
    display_name = "Memcached",
    resources(kind = "Deployment", version = "v1", name = "memcached-deployment")
)]
#[serde(rename_all = "camelCase")]
pub struct MemcachedSpec {
    /// size defines the number of Memcached instances
    #[crd(minimum = 0, maximum = 10, default = 1)]
    #[csv(display_name = "Size", x_descriptors = ["urn:alm:descriptor:com.tectonic.ui:podCount"])]
    #[serde(default = "default_size")]
    pub size: i32,
    /// containerPort defines the port that will be used to init the container with the image
    #[crd(minimum = 1, maximum = 65535)]
    #[csv(display_name = "Container Port")]
    pub container_port: i32,
}

fn default_size() -> i32 {
    1
}

impl Default for MemcachedSpec {
    fn default() -> Self {
        MemcachedSpec {
            size: default_size(),
            container_port: 11211,
        }
    }
}

/// MemcachedStatus defines the observed state of Memcached.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MemcachedStatus {
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
    #[csv(display_name = "Conditions")]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// nodes are the names of the memcached pods, sorted.
    #[csv(display_name = "Nodes")]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<String>,
    /// replicas is the number of pods of the Deployment (the scale subresource reads it).
    #[serde(default)]
    pub replicas: i32,
    /// readyReplicas is the number of ready pods.
    #[serde(default)]
    pub ready_replicas: i32,
    /// selector selects the pods, in label-selector form (the scale subresource reads it).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub selector: String,
}
