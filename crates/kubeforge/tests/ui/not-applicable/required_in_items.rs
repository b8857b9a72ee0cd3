use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(items(required))]
    value: Vec<String>,
}

fn main() {}
