//! `+kubebuilder:default={}` on a list: controller-gen's marker syntax has no empty-list literal,
//! so it writes `default: []` there (validation.go, Default.ApplyToSchema); on a map `{}` stays.

use kubeforge::prelude::*;
use serde_json::json;

#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
#[kube(
    group = "defaults.kubeforge.test",
    version = "v1",
    kind = "Listed",
    namespaced
)]
pub struct ListedSpec {
    /// Names.
    /// +kubebuilder:default={}
    pub names: Option<Vec<String>>,
    /// Labels.
    /// +kubebuilder:default={}
    pub labels: Option<std::collections::BTreeMap<String, String>>,
}

#[test]
fn an_empty_default_is_an_empty_list_on_a_list_and_an_empty_map_on_a_map() {
    let crd = serde_json::to_value(kubeforge::crds().expect("a structural CRD").remove(0)).unwrap();
    let spec = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"];
    assert_eq!(spec["properties"]["names"]["default"], json!([]));
    assert_eq!(spec["properties"]["labels"]["default"], json!({}));
}
