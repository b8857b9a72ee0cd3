use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(min_items = 1)]
    value: String,
}

fn main() {}
