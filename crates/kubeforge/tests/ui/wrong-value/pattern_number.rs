use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(pattern = 5)]
    value: String,
}

fn main() {}
