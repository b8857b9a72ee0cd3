use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(min_length = 1.5)]
    value: String,
}

fn main() {}
