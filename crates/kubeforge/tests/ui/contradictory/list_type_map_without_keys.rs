use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(list_type = "map")]
    value: Vec<serde_json::Value>,
}

fn main() {}
