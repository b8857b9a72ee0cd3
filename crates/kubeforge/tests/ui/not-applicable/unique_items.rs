use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(unique_items)]
    value: Vec<String>,
}

fn main() {}
