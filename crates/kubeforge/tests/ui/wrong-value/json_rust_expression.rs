use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(default = json!({"replicas": 1 + 1}))]
    value: serde_json::Value,
}

fn main() {}
