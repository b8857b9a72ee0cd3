use kubeforge::prelude::*;

/// Memcached is the Schema for the memcacheds API.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "cache.example.com",
    version = "v1alpha1",
    kind = "Memcached",
    namespaced,
    status = "MemcachedStatus",
    shortname = "mc"
)]
#[crd(
    storage_version,
    printcolumn(name = "Size", type = "integer", json_path = ".spec.size"),
    spec_description = "spec defines the desired state of Memcached"
)]
#[serde(rename_all = "camelCase")]
pub struct MemcachedSpec {
    /// Size is the number of memcached pods.
    #[crd(minimum = 1, maximum = 5, default = 1)]
    pub size: i32,
    /// +kubebuilder:validation:Pattern=`^[a-z]+$`
    pub tier: Option<String>,
    pub labels: std::collections::BTreeMap<String, String>,
    pub mem: Option<k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
    pub mode: Option<Mode>,
}

/// Mode of operation.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum Mode {
    Fast,
    Slow,
}

/// MemcachedStatus defines the observed state of Memcached.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct MemcachedStatus {
    /// conditions
    #[crd(list_type = "map", list_map_keys = ["type"])]
    #[serde(default)]
    pub conditions: Vec<kubeforge::types::Condition>,
    pub nodes: Vec<String>,
}

#[test]
fn smoke() {
    for (name, text) in kubeforge::crd_files(&Default::default()).unwrap() {
        println!("# {name}\n{text}");
    }
}
