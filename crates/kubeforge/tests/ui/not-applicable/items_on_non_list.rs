use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(items(min_length = 1))]
    value: String,
}

fn main() {}
