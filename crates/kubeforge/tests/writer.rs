//! The CRD writer: file naming, controller-gen layout (snapshot), determinism and atomic writes.

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
fn files_are_named_group_plural() {
    let files = kubeforge::crd_files(&Default::default()).unwrap();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["cache.example.com_memcacheds.yaml"]);
}

#[test]
fn layout_matches_controller_gen() {
    let files = kubeforge::crd_files(&Default::default()).unwrap();
    let (_, text) = &files[0];
    assert!(
        text.starts_with(
            "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        )
    );
    insta::assert_snapshot!("memcached_crd", text);
}

#[test]
fn output_is_byte_stable() {
    let first = kubeforge::crd_files(&Default::default()).unwrap();
    for _ in 0..5 {
        assert_eq!(kubeforge::crd_files(&Default::default()).unwrap(), first);
    }
}

#[test]
fn write_crds_writes_every_file_and_rewrites_identically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("config/crd/bases");
    let written = kubeforge::write_crds(&out).unwrap();
    assert_eq!(written, [out.join("cache.example.com_memcacheds.yaml")]);
    let before = std::fs::read(&written[0]).unwrap();
    kubeforge::write_crds(&out).unwrap();
    assert_eq!(std::fs::read(&written[0]).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary files left behind: {leftovers:?}"
    );
}

#[test]
fn generated_crd_is_structural() {
    for crd in kubeforge::crds().unwrap() {
        let value = kubeforge::crd_to_value(&crd).unwrap();
        assert_eq!(kubeforge::structural::check_crd(&value), []);
    }
}
