use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(int_or_string, type = "string")]
    value: serde_json::Value,
}

fn main() {}
