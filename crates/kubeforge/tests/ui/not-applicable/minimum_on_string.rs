use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(minimum = 1)]
    value: String,
}

fn main() {}
