use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(list_type = "atomic", list_map_keys = ["name"])]
    value: Vec<serde_json::Value>,
}

fn main() {}
