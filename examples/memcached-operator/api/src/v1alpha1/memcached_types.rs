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
    status_description = "status defines the observed state of Memcached"
)]
#[serde(rename_all = "camelCase")]
pub struct MemcachedSpec {
    /// size defines the number of Memcached instances
    #[crd(minimum = 0, maximum = 10, default = 1)]
    #[serde(default = "default_size")]
    pub size: i32,
    /// containerPort defines the port that will be used to init the container with the image
    #[crd(minimum = 1, maximum = 65535)]
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}
