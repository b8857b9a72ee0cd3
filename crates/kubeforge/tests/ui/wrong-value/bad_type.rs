use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(type = "int")]
    value: serde_json::Value,
}

fn main() {}
