use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    /// +default={replicas: 1}
    value: serde_json::Value,
}

fn main() {}
