use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(map_type = "merge")]
    value: std::collections::BTreeMap<String, String>,
}

fn main() {}
