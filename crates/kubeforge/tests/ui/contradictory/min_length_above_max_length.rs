use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(min_length = 10, max_length = 5)]
    value: String,
}

fn main() {}
